package dev.gridstate.agent;

import dev.gridstate.agent.NodeSpec.Gpu;
import dev.gridstate.agent.NodeSpec.Model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Node specs and unreachable addresses for the agent tests. */
public final class TestNodes {

    private TestNodes() {
    }

    public static NodeSpec spec(String nodeId) {
        return new NodeSpec(nodeId, List.of(new Model("llama-3-8b", "q4")), new Gpu("A100", 81_920, 80_000),
                Map.of("tier", "gold"), List.of("sc-1"));
    }

    public static List<NodeSpec> specs(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> spec(prefix + i)).toList();
    }

    /** A local port that was just free: connections to it are refused. */
    public static URI closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}

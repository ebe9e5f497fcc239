package dev.gridstate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The README's main job, as a user runs it: everything comes up, the fleet is live in both regions, and it all stops. */
class LocalTopologyIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int NODES = 25;

    @Test
    @DisplayName("the local topology brings up two gateways with a live fleet in each, and stops every process")
    void shouldRunAndStopCleanly(@TempDir Path work) {
        int port = twoFreePorts();
        LocalTopology topology = new LocalTopology();
        new CommandLine(topology).parseArgs("--port", String.valueOf(port), "--nodes", String.valueOf(NODES),
                "--gateway-jar", "../../gateway/target/gateway.jar", "--work-dir", work.toString());

        try {
            topology.up();

            for (int p : new int[]{port, port + 1}) {
                await().atMost(Duration.ofSeconds(20)).until(() -> onlineNodes(p) == NODES);
                assertThat(status("http://127.0.0.1:" + p + "/health")).isEqualTo(200);
                // the run's own admin token reached the gateway, and nothing else opens the admin API
                assertThat(status("http://127.0.0.1:" + p + "/v1/admin/whoami", topology.adminToken())).isEqualTo(200);
                assertThat(status("http://127.0.0.1:" + p + "/v1/admin/whoami")).isEqualTo(401);
            }
        } finally {
            topology.stopAll();
        }

        assertThatThrownBy(() -> status("http://127.0.0.1:" + port + "/health")).hasCauseInstanceOf(ConnectException.class);
        assertThat(work.resolve("logs/gateway-eu-west.log")).isNotEmptyFile();
    }

    private static long onlineNodes(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/nodes?state=idle&limit=1000")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> busy = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/nodes?state=busy&limit=1000")).build(), HttpResponse.BodyHandlers.ofString());
        ObjectMapper json = new ObjectMapper();
        return json.readTree(r.body()).get("count").asLong() + json.readTree(busy.body()).get("count").asLong();
    }

    private static int status(String url) {
        return status(url, null);
    }

    private static int status(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(url + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port p such that p and p + 1 are both free on 127.0.0.1. */
    private static int twoFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress("127.0.0.1", 0));
                int p = first.getLocalPort();
                try (ServerSocket second = new ServerSocket()) {
                    second.bind(new InetSocketAddress("127.0.0.1", p + 1));
                    return p;
                } catch (IOException taken) {
                    // p + 1 is in use: try another p
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot bind a free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("no two consecutive free ports found on 127.0.0.1");
    }
}

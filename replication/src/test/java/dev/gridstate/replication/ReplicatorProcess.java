package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.JarProcess;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RedisServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged replicator ({@code target/replicator.jar}) as a process of its own, configured
 * through environment variables as in production, so a test can SIGKILL it.
 */
final class ReplicatorProcess implements AutoCloseable {

    private final JarProcess process;

    private ReplicatorProcess(JarProcess process) {
        this.process = process;
    }

    static ReplicatorProcess start(ChangeTopology topology, RedisServer central, List<String> regions, String name) {
        Path jar = Path.of(System.getProperty("replicator.jar", "target/replicator.jar"));
        Map<String, String> env = new HashMap<>();
        TestReplicator.settings(topology, central.uri(), regions)
                .forEach((key, value) -> env.put(JarProcess.envName(key), value));
        return new ReplicatorProcess(JarProcess.start(jar, name, Ports.freePort(), env,
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                jar.resolveSibling(name + ".log")));
    }

    TestReplicator.Answer get(String path) {
        return TestReplicator.get(process.uri(), path);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is acknowledged on the way out. */
    void kill() {
        process.kill();
    }

    String log() {
        return process.logText();
    }

    @Override
    public void close() {
        process.close();
    }
}

package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged replicator ({@code target/replicator.jar}) as a process of its own, configured
 * through environment variables as in production, so a test can SIGKILL it.
 */
final class ReplicatorProcess implements AutoCloseable {

    private final Process process;
    private final URI uri;
    private final Path log;

    private ReplicatorProcess(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    static ReplicatorProcess start(ChangeTopology topology, RedisServer central, List<String> regions, String name) {
        Path jar = Path.of(System.getProperty("replicator.jar", "target/replicator.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the integration tests with"
                    + " `./mvnw verify -pl replication` (package builds the jar first)");
        }
        int port = Ports.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = jar.resolveSibling(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        TestReplicator.settings(topology, central.uri(), regions).forEach((key, value) -> env.put(envName(key), value));
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        try {
            Process process = builder.start();
            ReplicatorProcess started = new ReplicatorProcess(process, URI.create("http://127.0.0.1:" + port), log);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
    }

    /** {@code replication.queue-prefix} as Micronaut reads it from the environment: REPLICATION_QUEUE_PREFIX. */
    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    TestReplicator.Answer get(String path) {
        return TestReplicator.get(uri, path);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is acknowledged on the way out. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("replicator process " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }


    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}

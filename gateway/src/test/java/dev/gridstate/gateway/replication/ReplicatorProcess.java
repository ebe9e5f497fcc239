package dev.gridstate.gateway.replication;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The replicator as operators run it: {@code java -jar replication/target/replicator.jar}, in its
 * own process, so a test can SIGKILL it in the middle of a batch.
 */
final class ReplicatorProcess implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("replicator.jar", "../replication/target/replicator.jar"));
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final Process process;
    private final int port;
    private final Path log;

    private ReplicatorProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ReplicatorProcess start(RedisServer central, String exchange, String queuePrefix, List<String> regions,
                                   String... extraProperties) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the replication module first "
                    + "(./mvnw -DskipTests package)");
        }
        int port = Ports.freePort();
        Path log = Path.of("target", "replicator-" + STARTED.incrementAndGet() + ".log");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-Dmicronaut.server.port=" + port,
                "-Dredis.servers.central.uri=" + central.uri(),
                "-Drabbitmq.uri=" + RabbitBroker.shared().uri(),
                "-Dreplication.regions=" + String.join(",", regions),
                "-Dreplication.exchange=" + exchange,
                "-Dreplication.queue-prefix=" + queuePrefix));
        for (String p : extraProperties) {
            command.add("-D" + p);
        }
        command.addAll(List.of("-jar", JAR.toString()));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ReplicatorProcess replicator = new ReplicatorProcess(process, port, log);
            try {
                await("replicator answering on port " + port).atMost(Duration.ofSeconds(40))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreException(UncheckedIOException.class)
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("the replicator exited with " + process.exitValue()
                                        + "; its log: " + Files.readString(log));
                            }
                            return replicator.http().get("/v1/replication").status() == 200;
                        });
            } catch (RuntimeException e) {
                replicator.kill();
                throw e;
            }
            return replicator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + JAR, e);
        }
    }

    Http http() {
        return new Http(URI.create("http://127.0.0.1:" + port));
    }

    /** This replicator's view of one region, from {@code GET /v1/replication}. */
    JsonNode region(String region) {
        JsonNode root = http().get("/v1/replication").json();
        JsonNode list = root.isArray() ? root : root.path("regions");
        if (list.isObject() && list.has(region)) {
            return list.get(region);
        }
        for (JsonNode r : list) {
            if (region.equals(r.path("region").asText())) {
                return r;
            }
        }
        throw new IllegalStateException("no region " + region + " in " + root);
    }

    /** SIGKILL: no shutdown hook, no goodbye to the broker; unacknowledged messages are redelivered. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        waitFor();
    }

    private void waitFor() {
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.gridstate.gateway.replication;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.testkit.JarProcess;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replicator as operators run it, {@code java -jar replication/target/replicator.jar} in its
 * own process (the root pom builds it before the gateway), so a test can SIGKILL it mid-batch.
 */
public final class ReplicatorProcess implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("replicator.jar", "../replication/target/replicator.jar"));
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final JarProcess process;

    private ReplicatorProcess(JarProcess process) {
        this.process = process;
    }

    /** {@code extraProperties}: {@code name=value} replicator settings, e.g. {@code replication.batch-max-messages=2}. */
    public static ReplicatorProcess start(RedisServer central, String exchange, String queuePrefix, List<String> regions,
                                          String... extraProperties) {
        return start(central.uri(), exchange, queuePrefix, regions, extraProperties);
    }

    /** As {@link #start(RedisServer, String, String, List, String...)}, with central at {@code centralUri} (a proxy, say). */
    public static ReplicatorProcess start(String centralUri, String exchange, String queuePrefix, List<String> regions,
                                          String... extraProperties) {
        Map<String, String> env = new HashMap<>(Map.of(
                "REDIS_SERVERS_CENTRAL_URI", centralUri,
                "RABBITMQ_URI", RabbitBroker.shared().uri(),
                "REPLICATION_REGIONS", String.join(",", regions),
                "REPLICATION_EXCHANGE", exchange,
                "REPLICATION_QUEUE_PREFIX", queuePrefix));
        for (String property : extraProperties) {
            String[] nameValue = property.split("=", 2);
            env.put(JarProcess.envName(nameValue[0]), nameValue[1]);
        }
        String name = "replicator-" + STARTED.incrementAndGet();
        JarProcess process = JarProcess.start(JAR, name, Ports.freePort(), env, List.of("-Xmx256m"),
                Path.of("target", name + ".log"));
        try {
            process.awaitAnswer("/v1/replication", Duration.ofSeconds(40));
        } catch (RuntimeException e) {
            process.kill();
            throw e;
        }
        return new ReplicatorProcess(process);
    }

    /** This replicator's view of one region, from {@code GET /v1/replication}. */
    JsonNode region(String region) {
        JsonNode root = new Http(process.uri()).get("/v1/replication").json();
        for (JsonNode r : root.path("regions")) {
            if (region.equals(r.path("region").asText())) {
                return r;
            }
        }
        throw new IllegalStateException("no region " + region + " in " + root);
    }

    /** SIGKILL: no shutdown hook, no goodbye to the broker; unacknowledged messages are redelivered. */
    void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}

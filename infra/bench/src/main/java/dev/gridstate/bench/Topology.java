package dev.gridstate.bench;

import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.testkit.JarProcess;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The real thing, on this machine, for one measurement: one region's volatile Redis, the central
 * Redis (AOF), the replicator, the broker (this run's own exchanges and queues, deleted on close)
 * and {@code replicas} gateway processes. Nothing is proxied: the gateways talk to Redis and
 * RabbitMQ directly, as in production.
 */
final class Topology implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Topology.class);
    static final String REGION = "bench";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BREAKER_CHANGE = "the regional Redis breaker went from";

    /** What to start. */
    record Settings(Path gatewayJar, Path replicatorJar, Path logs, int replicas, List<String> gatewayJvmArgs,
                    Map<String, String> gatewayEnv) {

        Settings withReplicas(int count) {
            return new Settings(gatewayJar, replicatorJar, logs, count, gatewayJvmArgs, gatewayEnv);
        }

        Settings withGatewayEnv(Map<String, String> env) {
            Map<String, String> merged = new HashMap<>(gatewayEnv);
            merged.putAll(env);
            return new Settings(gatewayJar, replicatorJar, logs, replicas, gatewayJvmArgs, Map.copyOf(merged));
        }
    }

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final List<JarProcess> gateways = new ArrayList<>();
    private final String adminToken = secret();
    private final String nodeTokenSecret = secret();
    private final ThreadLocal<Mac> macs;
    private RedisServer regional;
    private RedisServer central;
    private JarProcess replicator;
    private Supplier<JarProcess> startReplicator;
    private boolean closed;

    private Topology() {
        SecretKeySpec key = new SecretKeySpec(nodeTokenSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
        });
    }

    static Topology start(Settings settings, String label) {
        Topology topology = new Topology();
        try {
            topology.up(settings, label);
            return topology;
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    private void up(Settings settings, String label) {
        RabbitBroker broker = RabbitBroker.shared();
        // This run's names on the broker, deleted on close whatever happens.
        toClose.push(broker::deleteNamesHandedOut);
        central = keep(RedisServer.startCentral());
        regional = keep(RedisServer.startRegional());
        String exchange = broker.uniqueName("bench-changes");
        String queueBase = broker.uniqueName("bench-changes-q");
        broker.derivedName(queueBase, "." + REGION);
        String jobsExchange = broker.uniqueName("bench-jobs");
        broker.derivedName(jobsExchange, ".dead");
        String jobsQueueBase = broker.uniqueName("bench-jobs-q");
        broker.derivedName(jobsQueueBase, "." + REGION + ".dead");
        List<String> models = SimulatedFleet.models();
        models.forEach(model -> broker.derivedName(jobsQueueBase, "." + REGION + "." + model));

        int replicatorPort = Ports.freePort();
        Map<String, String> replicatorEnv = Map.of(
                "REDIS_SERVERS_CENTRAL_URI", central.uri(),
                "RABBITMQ_URI", broker.uri(),
                "REPLICATION_REGIONS", REGION,
                "REPLICATION_EXCHANGE", exchange,
                "REPLICATION_QUEUE_PREFIX", queueBase + ".");
        startReplicator = () -> JarProcess.start(settings.replicatorJar(), label + "-replicator", replicatorPort,
                replicatorEnv, settings.gatewayJvmArgs(), settings.logs().resolve(label + "-replicator.log"));
        replicator = startReplicator.get();
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("GATEWAY_REGION", REGION),
                Map.entry("GATEWAY_REPLICATION_EXCHANGE", exchange),
                Map.entry("GATEWAY_REPLICATION_QUEUE_PREFIX", queueBase + "."),
                Map.entry("GATEWAY_JOBS_EXCHANGE", jobsExchange),
                Map.entry("GATEWAY_JOBS_QUEUE_PREFIX", jobsQueueBase + "."),
                Map.entry("GATEWAY_JOBS_MODELS", String.join(",", models)),
                Map.entry("REDIS_SERVERS_REGIONAL_URI", regional.uri() + "?timeout=500ms"),
                Map.entry("REDIS_SERVERS_CENTRAL_URI", central.uri() + "?timeout=500ms"),
                Map.entry("RABBITMQ_URI", broker.uri()),
                Map.entry("GATEWAY_ADMIN_TOKEN", adminToken),
                Map.entry("GATEWAY_NODE_TOKEN_SECRET", nodeTokenSecret),
                // The load picks nodes at random, so some get many beats a second: the per-node
                // budget is not what is measured.
                Map.entry("GATEWAY_RATE_LIMIT_LIMIT_FOR_PERIOD", "1000000"),
                // Random heartbeats reach each node only now and then: the nodes must not expire
                // between them (the scale measurement sets its own).
                Map.entry("GATEWAY_REGISTRY_HEARTBEAT_TTL", "10m")));
        env.putAll(settings.gatewayEnv());
        for (int i = 0; i < settings.replicas(); i++) {
            String name = label + "-gateway-" + i;
            // One at a time: two JVMs starting side by side on 2 cores miss their Redis timeouts;
            // one that exits while starting (its first Redis connection missed 500 ms) gets two more starts.
            int port = Ports.freePort();
            gateways.add(keep(JarProcess.startAndAwait(() -> JarProcess.start(settings.gatewayJar(), name, port, env,
                    settings.gatewayJvmArgs(), settings.logs().resolve(name + ".log")), "/health", Duration.ofSeconds(90), 3)));
        }
        replicator.awaitAnswer("/health", Duration.ofSeconds(90));
        LOG.info("{}: {} gateway(s) on {}, regional {}, central {}", label, gateways.size(),
                gateways.stream().map(JarProcess::uri).toList(), regional.uri(), central.uri());
    }

    private <T extends AutoCloseable> T keep(T resource) {
        toClose.push(resource);
        return resource;
    }

    URI gateway(int replica) {
        return gateways.get(replica).uri();
    }

    List<URI> gateways() {
        return gateways.stream().map(JarProcess::uri).toList();
    }

    JarProcess gatewayProcess(int replica) {
        return gateways.get(replica);
    }

    /**
     * How often the replica's regional Redis breaker changed state so far, from its log: a
     * measurement whose count moved was partly served from central.
     */
    int regionalBreakerChanges(int replica) {
        String log = gateways.get(replica).logText();
        int count = 0;
        for (int at = log.indexOf(BREAKER_CHANGE); at >= 0; at = log.indexOf(BREAKER_CHANGE, at + 1)) {
            count++;
        }
        return count;
    }

    JarProcess replicator() {
        return replicator;
    }

    /** Stops the replicator (SIGTERM); what the gateways send waits for it on the broker. */
    void stopReplicator() {
        if (replicator != null) {
            replicator.close();
            replicator = null;
        }
    }

    /** A new replicator process: its lag figures cover only what comes after. */
    void startReplicator() {
        stopReplicator();
        replicator = startReplicator.get();
        replicator.awaitAnswer("/health", Duration.ofSeconds(90));
    }

    RedisServer regional() {
        return regional;
    }

    RedisServer central() {
        return central;
    }

    String adminToken() {
        return adminToken;
    }

    /** The node's token, as the gateway derives it (HMAC-SHA256 of region:nodeId). */
    String nodeToken(String nodeId) {
        byte[] digest = macs.get().doFinal((REGION + ":" + nodeId).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopReplicator();
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                LOG.warn("while stopping the topology: {}", e.toString());
            }
        }
    }
}

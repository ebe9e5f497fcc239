package dev.gridstate.bench;

import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.testkit.JarProcess;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Many regions on one central, as a deployment runs them: one central Redis (AOF), one replicator
 * process for every region, and per region its own volatile Redis and one gateway JVM. This run's
 * exchanges and queues on the broker are deleted on close, and close checks that no process it
 * started is still alive.
 */
final class RegionsTopology implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionsTopology.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every Redis timeout and slow-call threshold of the gateways (production: 25–250 ms). */
    static final String BREAKER_SLACK = "1s";

    /** One region: its name, its Redis, its gateway. */
    record Region(String name, RedisServer redis, JarProcess gateway) {
    }

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final List<Region> regions = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private final String adminToken = secret();
    private RedisServer central;
    private JarProcess replicator;
    private String exchange;
    private boolean closed;

    private RegionsTopology() {
    }

    /** Region {@code i} (from 1) is {@code r01}, {@code r02}, …: names that sort as numbers. */
    static String regionName(int i) {
        return String.format("r%02d", i);
    }

    static RegionsTopology start(Topology.Settings settings, int count, String gatewayHeap, String label) {
        RegionsTopology topology = new RegionsTopology();
        try {
            topology.up(settings, count, gatewayHeap, label);
            return topology;
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    private void up(Topology.Settings settings, int count, String gatewayHeap, String label) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(regionName(i));
        }
        RabbitBroker broker = RabbitBroker.shared();
        toClose.push(broker::deleteNamesHandedOut);
        central = keep(RedisServer.startCentral());
        central.pid().ifPresent(pids::add);
        exchange = broker.uniqueName("bench-changes");
        String queueBase = broker.uniqueName("bench-changes-q");
        String jobsExchange = broker.uniqueName("bench-jobs");
        broker.derivedName(jobsExchange, ".dead");
        String jobsQueueBase = broker.uniqueName("bench-jobs-q");
        List<String> models = SimulatedFleet.models();
        for (String region : names) {
            broker.derivedName(queueBase, "." + region);
            broker.derivedName(jobsQueueBase, "." + region + ".dead");
            models.forEach(model -> broker.derivedName(jobsQueueBase, "." + region + "." + model));
        }

        int replicatorPort = Ports.freePort();
        replicator = keep(JarProcess.start(settings.replicatorJar(), label + "-replicator", replicatorPort, Map.of(
                "REDIS_SERVERS_CENTRAL_URI", central.uri(),
                "RABBITMQ_URI", broker.uri(),
                "REPLICATION_REGIONS", String.join(",", names),
                "REPLICATION_EXCHANGE", exchange,
                "REPLICATION_QUEUE_PREFIX", queueBase + "."), settings.gatewayJvmArgs(),
                settings.logs().resolve(label + "-replicator.log")));
        pids.add(replicator.pid());

        List<String> gatewayJvm = new ArrayList<>(settings.gatewayJvmArgs());
        gatewayJvm.add("-Xmx" + gatewayHeap);
        String nodeTokenSecret = secret();
        for (String region : names) {
            RedisServer redis = keep(RedisServer.startRegional());
            redis.pid().ifPresent(pids::add);
            // Production settings (heartbeat every 5 s, TTL 15 s, the per-node rate limit) but the wiring and
            // the breakers: ten JVMs on 2 cores miss the 50 ms regional timeout from CPU starvation alone, and
            // the failovers that follow would be measured instead of central (--gateway-env overrides).
            Map<String, String> env = new HashMap<>(Map.ofEntries(
                    Map.entry("GATEWAY_REGION", region),
                    Map.entry("GATEWAY_REPLICATION_EXCHANGE", exchange),
                    Map.entry("GATEWAY_REPLICATION_QUEUE_PREFIX", queueBase + "."),
                    Map.entry("GATEWAY_JOBS_EXCHANGE", jobsExchange),
                    Map.entry("GATEWAY_JOBS_QUEUE_PREFIX", jobsQueueBase + "."),
                    Map.entry("GATEWAY_JOBS_MODELS", String.join(",", models)),
                    Map.entry("REDIS_SERVERS_REGIONAL_URI", redis.uri() + "?timeout=500ms"),
                    Map.entry("REDIS_SERVERS_CENTRAL_URI", central.uri() + "?timeout=500ms"),
                    Map.entry("RABBITMQ_URI", broker.uri()),
                    Map.entry("GATEWAY_ADMIN_TOKEN", adminToken),
                    Map.entry("GATEWAY_NODE_TOKEN_SECRET", nodeTokenSecret),
                    Map.entry("GATEWAY_STORE_REGIONAL_TIMEOUT", BREAKER_SLACK),
                    Map.entry("GATEWAY_STORE_REGIONAL_SLOW_CALL", BREAKER_SLACK),
                    Map.entry("GATEWAY_STORE_CENTRAL_TIMEOUT", BREAKER_SLACK),
                    Map.entry("GATEWAY_STORE_CENTRAL_SLOW_CALL", BREAKER_SLACK)));
            env.putAll(settings.gatewayEnv());
            String name = label + "-gateway-" + region;
            int port = Ports.freePort();
            // One at a time, as Topology does: JVMs starting side by side on 2 cores miss their Redis timeouts.
            JarProcess gateway = keep(JarProcess.startAndAwait(() -> JarProcess.start(settings.gatewayJar(), name, port,
                    env, gatewayJvm, settings.logs().resolve(name + ".log")), "/health", Duration.ofSeconds(120), 3));
            pids.add(gateway.pid());
            regions.add(new Region(region, redis, gateway));
        }
        replicator.awaitAnswer("/health", Duration.ofSeconds(90));
        LOG.info("{}: {} regions on central {}, replicator {}", label, regions.size(), central.uri(), replicator.uri());
    }

    private <T extends AutoCloseable> T keep(T resource) {
        toClose.push(resource);
        return resource;
    }

    List<Region> regions() {
        return List.copyOf(regions);
    }

    RedisServer central() {
        return central;
    }

    JarProcess replicator() {
        return replicator;
    }

    /** The change log's exchange of this run (topic; routing key {@code region.<name>}). */
    String exchange() {
        return exchange;
    }

    String adminToken() {
        return adminToken;
    }

    List<URI> gatewayUris() {
        return regions.stream().map(r -> r.gateway().uri()).toList();
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Stops everything in reverse order; returns how many of its processes were still alive after (0 is right). */
    int closeAndCount() {
        close();
        long alive = pids.stream().map(ProcessHandle::of).filter(p -> p.map(ProcessHandle::isAlive).orElse(false)).count();
        return (int) alive;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                LOG.warn("while stopping the regions topology: {}", e.toString());
            }
        }
    }
}

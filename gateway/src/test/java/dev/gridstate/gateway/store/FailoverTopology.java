package dev.gridstate.gateway.store;

import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.gateway.replication.ReplicatorProcess;
import dev.gridstate.state.Keys;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisCluster;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a failover scenario runs on: region {@code eu-west} with two gateway replicas, its regional
 * and central redis-server, the replicator as its own process copying the region to central, and
 * a simulated fleet of real node agents heart-beating every {@link #INTERVAL}. The change log has
 * its own exchange and queue per topology, so nothing one scenario left in the broker reaches the
 * next one's central. Started, it holds the whole fleet live on both Redis servers.
 */
final class FailoverTopology implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    /**
     * When the region fails, central serves what the change log last brought it, and a node is
     * online there until its copy's TTL runs out: the TTL less the beat interval is the slack the
     * change log's lag gets (10 s in production). At 3 s here, a suite on two busy cores saw up to
     * a fifth of the fleet offline on central before their next beats reached it.
     */
    static final Duration TTL = Duration.ofSeconds(5);
    static final int NODES = 100;
    /** The models the fleet serves (see the agent's NodeCatalog); match queries ask for each. */
    static final List<String> MODELS = List.of("llama-3-8b", "llama-3-70b", "mistral-7b", "sdxl");
    static final Keys KEYS = new Keys(TestRegion.NAME);
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private final String exchange = RabbitBroker.shared().uniqueName("failover-x");
    private final String queueBase = RabbitBroker.shared().uniqueName("failover-q");
    private TestRegion region;
    private ReplicatorProcess replicator;
    private SimulatedFleet fleet;

    /**
     * Starts everything; {@code store} overrides {@code gateway.store.*} and other gateway settings,
     * {@code gatewaysUp} sees the replicas as soon as they serve, before the fleet starts.
     */
    static FailoverTopology start(Map<String, Object> store, Consumer<List<TestGateway>> gatewaysUp) {
        FailoverTopology topology = new FailoverTopology();
        try {
            topology.startAll(store, gatewaysUp);
        } catch (RuntimeException | AssertionError e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    private void startAll(Map<String, Object> store, Consumer<List<TestGateway>> gatewaysUp) {
        RabbitBroker.shared().derivedName(queueBase, "." + TestRegion.NAME);
        Map<String, Object> settings = new HashMap<>(Map.of(
                "gateway.registry.heartbeat-interval", INTERVAL.toMillis() + "ms",
                "gateway.registry.heartbeat-ttl", TTL.toMillis() + "ms",
                "gateway.registry.sweep-interval", "100ms",
                // Time runs five times faster here than in production (1 s beats against 5 s), so the
                // change log's heartbeat window shrinks with it: at production's 1 s, central's copy of
                // a node could be a third of a TTL old when the region failed.
                "gateway.replication.heartbeat-window", "200ms",
                "gateway.replication.exchange", exchange,
                "gateway.replication.queue-prefix", queueBase + "."));
        settings.putAll(store);
        region = TestRegion.start(2, settings);
        gatewaysUp.accept(gateways());
        fleet = SimulatedFleet.builder().region(TestRegion.NAME, List.of(gateway(0).uri(), gateway(1).uri()))
                .nodesPerRegion(NODES).seed(7).churnPeriod(Duration.ofSeconds(2)).build();
        fleet.start();
        // The gateways declared the region's queue: what they publish meanwhile waits for the replicator.
        replicator = ReplicatorProcess.start(region.central(), exchange, queueBase + ".", List.of(TestRegion.NAME));
        await("the fleet live on the regional Redis").atMost(SETTLE).until(() -> liveNodes(regional()) == NODES);
    }

    /** Waits until central holds every node, live, and every one of {@code entityKeys}. */
    void awaitCentralHolds(String... entityKeys) {
        await("the fleet live on central").atMost(SETTLE).pollInterval(Duration.ofMillis(100)).until(() ->
                liveNodes(central()) == NODES && central().commands().exists(entityKeys) == entityKeys.length);
    }

    /** For each model, how many nodes a match query lists now (live, unflagged); central holds the same. */
    Map<String, Integer> listedPerModel() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String model : MODELS) {
            Http.Answer answer = http(0).get("/v1/nodes?model=" + model + "&limit=1000");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("count").asInt()).as("nodes listed for " + model).isPositive();
            counts.put(model, answer.json().path("count").asInt());
        }
        return counts;
    }

    /** Nodes with a record and a heartbeat deadline still ahead, by the server's own clock. */
    static long liveNodes(RedisServer server) {
        RedisCommands<String, String> redis = server.commands();
        double now = Double.parseDouble(redis.time().get(0)) * 1000;
        return redis.zcount(KEYS.online(), Range.create(now, Double.POSITIVE_INFINITY));
    }

    /** Live nodes but {@code nodeId}, which may or may not be live still (its heartbeat TTL running out). */
    static long liveNodesBut(RedisServer server, String nodeId) {
        RedisCommands<String, String> redis = server.commands();
        double now = Double.parseDouble(redis.time().get(0)) * 1000;
        Double deadline = redis.zscore(KEYS.online(), nodeId);
        return liveNodes(server) - (deadline != null && deadline > now ? 1 : 0);
    }

    TestGateway gateway(int replica) {
        return region.gateway(replica);
    }

    List<TestGateway> gateways() {
        return List.of(gateway(0), gateway(1));
    }

    Http http(int replica) {
        return gateway(replica).http();
    }

    /** The regional Redis; on a cluster, the master that holds the region now. */
    RedisServer regional() {
        return region.regional();
    }

    /** The regional Redis Cluster (the cluster profile only). */
    RedisCluster cluster() {
        return region.cluster().orElseThrow(() -> new IllegalStateException("the regional Redis is not a cluster in this run"));
    }

    RedisServer central() {
        return region.central();
    }

    SimulatedFleet fleet() {
        return fleet;
    }

    /** Stops the fleet first, so no agent talks to a gateway that is going away, then the replicator and the region. */
    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        if (replicator != null) {
            replicator.close();
        }
        if (region != null) {
            region.close();
        }
    }
}

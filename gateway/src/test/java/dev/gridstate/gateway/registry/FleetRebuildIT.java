package dev.gridstate.gateway.registry;

import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rebuild path end to end with the real node agent: after the region's Redis loses its
 * state, heartbeats are answered "re-register", the agents send their records again, and every
 * live node is back within one heartbeat interval (plus 1 s of slack for a loaded machine).
 */
class FleetRebuildIT {

    private static final Logger LOG = LoggerFactory.getLogger(FleetRebuildIT.class);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int NODES = 120;

    private TestRegion region;
    private RedisServer regional;
    private TestGateway a;
    private TestGateway b;
    private SimulatedFleet fleet;

    @BeforeEach
    void start() {
        Map<String, Object> timing = Map.of("gateway.registry.heartbeat-interval", INTERVAL.toMillis() + "ms",
                "gateway.registry.heartbeat-ttl", "3s", "gateway.registry.sweep-interval", "100ms");
        region = TestRegion.start(2, timing);
        regional = region.regional();
        a = region.gateway(0);
        b = region.gateway(1);
        fleet = SimulatedFleet.builder().region("eu-west", List.of(a.uri(), b.uri()))
                .nodesPerRegion(NODES).seed(7).churnPeriod(Duration.ofSeconds(2)).build();
        fleet.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> liveNodes() == NODES);
    }

    @AfterEach
    void stop() {
        fleet.close();
        region.close();
    }

    @Test
    @DisplayName("FLUSHALL on the regional Redis: every node re-registers within one heartbeat interval")
    void shouldRebuildAfterDataLoss() {
        long reRegistrationsBefore = fleet.counters().reRegistrations();

        regional.flushAll();
        long lost = System.nanoTime();

        await().atMost(INTERVAL.plusSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> liveNodes() == NODES);
        LOG.info("{} nodes back {} ms after FLUSHALL", NODES, Duration.ofNanos(System.nanoTime() - lost).toMillis());
        assertThat(fleet.counters().reRegistrations() - reRegistrationsBefore).isGreaterThanOrEqualTo(NODES);
        assertThat(RegistryIT.ids(a.http().get("/v1/nodes?limit=1000&state=idle")).size()
                + RegistryIT.ids(b.http().get("/v1/nodes?limit=1000&state=busy")).size()).isEqualTo(NODES);
    }

    @Test
    @DisplayName("regional Redis killed and restarted empty: every node re-registers within one heartbeat interval of the restart")
    void shouldRebuildAfterRestartEmpty() {
        regional.kill();
        regional.restart();
        long back = System.nanoTime();

        await().atMost(INTERVAL.plusSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> liveNodes() == NODES);
        LOG.info("{} nodes back {} ms after the restart", NODES, Duration.ofNanos(System.nanoTime() - back).toMillis());
        assertThat(fleet.nodeIds()).allSatisfy(id ->
                assertThat(b.http().get("/v1/nodes/" + id).json().get("status").asText()).isEqualTo("online"));
    }

    /** Nodes with a record and a heartbeat deadline still ahead. */
    private long liveNodes() {
        RedisCommands<String, String> redis = regional.commands();
        double now = Double.parseDouble(redis.time().get(0)) * 1000;
        return redis.zcount(TestRegion.KEYS + "online", io.lettuce.core.Range.create(now, Double.POSITIVE_INFINITY));
    }
}

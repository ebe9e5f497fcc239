package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicators on the same queue: the broker's single active consumer makes one apply; when
 * that one is SIGKILLed mid-stream, the other takes over from the first unacknowledged message.
 */
class TakeoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(TakeoverIT.class);
    private static final String REGION = "eu-west";
    private static final int UPDATES = 300;
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofSeconds(25);
    private static final Duration PACE = Duration.ofMillis(10);
    private static RedisServer central;
    private static ChangeTopology topology;

    @BeforeAll
    static void start() {
        central = RedisServer.startCentral();
        topology = TestBroker.uniqueTopology(REGION);
    }

    @AfterAll
    static void cleanUp() {
        central.close();
        TestBroker.deleteAll(List.of(topology), REGION);
    }

    @Test
    @DisplayName("the standby applies from the first unacknowledged message when the active replicator is killed")
    void theStandbyTakesOverWhenTheActiveReplicatorIsKilled() {
        try (TestRegion region = new TestRegion(REGION, topology);
             ReplicatorProcess first = ReplicatorProcess.start(topology, central, List.of(REGION), "takeover-first")) {
            await("the first replicator subscribed").atMost(STARTUP).ignoreExceptions()
                    .until(() -> first.isAlive() && first.get("/v1/replication").body().contains("\"consuming\":true"));
            region.registerNode("n1", "gpu-a");
            region.publishNodes("n1");
            await().atMost(PATIENCE).until(() -> first.get("/v1/replication").body().contains("\"active\":true"));

            try (TestReplicator second = TestReplicator.start(topology, central, List.of(REGION))) {
                await().atMost(PATIENCE).until(() -> second.status(REGION).consuming());
                CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> publishUpdates(region));
                SeqWatch watch = new SeqWatch(central, region.keys().node("n1"));

                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> watch.seq() >= 50);
                assertThat(second.status(REGION).appliedMessages()).as("the standby applied nothing").isZero();
                first.kill();
                long seqAtKill = watch.seq();

                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> watch.seq() == UPDATES);
                stream.join();
                await().atMost(PATIENCE).untilAsserted(() ->
                        assertThat(region.replicated(central)).isEqualTo(region.replicatedHere()));
                RegionStatus standby = second.status(REGION);
                LOG.info("killed the active replicator at update {}; the standby applied {} message(s) after that",
                        seqAtKill, standby.appliedMessages());
                assertThat(standby.active()).isTrue();
                assertThat(standby.appliedMessages()).isPositive();
                assertThat(standby.rejectedMessages()).isZero();
                assertThat(watch.wentBack()).as("central's n1 never went back to an older update").isFalse();
            }
        }
    }

    private static void publishUpdates(TestRegion region) {
        for (int seq = 1; seq <= UPDATES; seq++) {
            region.updateNode("n1", "seq", Integer.toString(seq));
            region.publishNodes("n1");
            LockSupport.parkNanos(PACE.toNanos());
        }
    }
}

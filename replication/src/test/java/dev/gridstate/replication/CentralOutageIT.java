package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Central crashes (SIGKILL) and comes back from its append-only file: nothing is lost, nothing is acknowledged unwritten. */
class CentralOutageIT {

    private static final String REGION = "eu-west";
    private static final Duration PATIENCE = Duration.ofSeconds(25);
    private static final int NODES = 10;
    private static final List<ChangeTopology> TOPOLOGIES = new ArrayList<>();

    private RedisServer central;
    private ChangeTopology topology;
    private TestRegion region;

    @AfterAll
    static void cleanUp() {
        TestBroker.deleteAll(TOPOLOGIES, REGION);
    }

    @BeforeEach
    void freshRegion() {
        central = RedisServer.startCentral();
        topology = TestBroker.uniqueTopology(REGION);
        TOPOLOGIES.add(topology);
        region = new TestRegion(REGION, topology);
    }

    @AfterEach
    void stop() {
        region.close();
        central.close();
    }

    @Test
    @DisplayName("while central is down the replicator retries; after its restart central converges")
    void retriesWhileCentralIsDownAndConvergesOnceItIsBack() {
        try (TestReplicator replicator = TestReplicator.start(topology, central, List.of(REGION))) {
            int published = registerNodes();
            await().atMost(PATIENCE).until(() -> region.replicated(central).equals(region.replicatedHere()));

            central.kill();
            published += updateEveryNode(1, 5);
            await().atMost(PATIENCE).until(() -> replicator.status(REGION).applyRetries() > 3);
            long appliedBeforeRestart = replicator.status(REGION).appliedMessages();
            published += updateEveryNode(6, 10);
            central.restart();

            int expected = published;
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(expected);
                assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
            });
            assertThat(appliedBeforeRestart).isEqualTo(NODES);
            assertThat(central.commands().hget(region.keys().node("n0"), "seq")).isEqualTo("10");
        }
    }

    @Test
    @DisplayName("a replicator stopped while central is down acknowledges nothing it did not write, and stops quickly")
    void leavesUnwrittenMessagesInTheQueueWhenStoppedWhileCentralIsDown() {
        int duringOutage;
        Duration closeTook;
        try (TestReplicator first = TestReplicator.start(topology, central, List.of(REGION))) {
            registerNodes();
            await().atMost(PATIENCE).until(() -> region.replicated(central).equals(region.replicatedHere()));
            central.kill();
            duringOutage = updateEveryNode(1, 3);
            await().atMost(PATIENCE).until(() -> first.status(REGION).applyRetries() > 3);

            long closing = System.nanoTime();
            first.close();
            closeTook = Duration.ofNanos(System.nanoTime() - closing);
        }

        assertThat(closeTook).isLessThan(Duration.ofSeconds(5));
        int expectedBack = duringOutage;
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(TestBroker.ready(topology, REGION)).as("messages back in the queue").isEqualTo(expectedBack));
        try (TestReplicator second = TestReplicator.start(topology, central, List.of(REGION))) {
            // Started while central is still down: its connection to central is made on first use.
            await().atMost(PATIENCE).until(() -> second.status(REGION).applyRetries() > 0);
            central.restart();

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(second.status(REGION).appliedMessages()).isEqualTo(duringOutage);
                assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
            });
            assertThat(central.commands().hget(region.keys().node("n0"), "seq")).isEqualTo("3");
        }
    }

    private int registerNodes() {
        for (int i = 0; i < NODES; i++) {
            region.registerNode("n" + i, "gpu-a");
            region.publishNodes("n" + i);
        }
        return NODES;
    }

    /** Updates every node once per round, one message per node and round; returns the messages published. */
    private int updateEveryNode(int firstRound, int lastRound) {
        int published = 0;
        for (int round = firstRound; round <= lastRound; round++) {
            for (int i = 0; i < NODES; i++) {
                region.updateNode("n" + i, "seq", Integer.toString(round));
                region.publishNodes("n" + i);
                published++;
            }
        }
        return published;
    }
}

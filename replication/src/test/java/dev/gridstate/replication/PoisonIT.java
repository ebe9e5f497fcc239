package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A message central refuses is dropped and counted; the good ones around it are applied, and the queue flows on. */
class PoisonIT {

    private static final String REGION = "eu-west";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final List<ChangeTopology> TOPOLOGIES = new ArrayList<>();
    private static RedisServer central;

    private ChangeTopology topology;
    private TestRegion region;

    @BeforeAll
    static void startCentral() {
        central = RedisServer.startCentral();
    }

    @AfterAll
    static void cleanUp() {
        central.close();
        TestBroker.deleteAll(TOPOLOGIES, REGION);
    }

    @BeforeEach
    void freshRegion() {
        central.flushAll();
        topology = TestBroker.uniqueTopology(REGION);
        TOPOLOGIES.add(topology);
        region = new TestRegion(REGION, topology);
    }

    @AfterEach
    void stop() {
        region.close();
    }

    @DisplayName("a poison message among good ones in one batch is dropped, the good ones are applied in order")
    @ParameterizedTest(name = "poison: {0}")
    @ValueSource(strings = {"not JSON", "another region", "no version", "a change that is no entity"})
    void dropsThePoisonMessageAndAppliesTheGoodOnesAroundIt(String poison) {
        region.registerNode("n1", "gpu-a");
        region.registerNode("n2", "gpu-a");
        region.publishNodes("n1");
        region.updateNode("n1", "seq", "1");
        TestRegion.Change good = region.publishNodes("n1");
        region.publish(poisonLike(good, poison), good.version(), good.since());
        region.updateNode("n1", "seq", "2");
        region.publishNodes("n1", "n2");
        // All four are in the queue before the replicator starts: they come in one batch.

        try (TestReplicator replicator = TestReplicator.start(topology, central, List.of(REGION))) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(replicator.status(REGION).rejectedMessages()).isEqualTo(1);
                assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(3);
            });
            assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
            assertThat(central.commands().hget(region.keys().node("n1"), "seq")).isEqualTo("2");

            region.updateNode("n2", "state", "busy");
            region.publishNodes("n2");

            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThat(region.replicated(central)).isEqualTo(region.replicatedHere()));
            assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(4);
        }
        assertThat(TestBroker.ready(topology, REGION)).as("every message acknowledged, the poison one too").isZero();
    }

    @DisplayName("a poison message alone in its batch is dropped and the next one is applied")
    @ParameterizedTest(name = "poison: {0}")
    @ValueSource(strings = {"not JSON", "another region"})
    void dropsAPoisonMessageThatComesAlone(String poison) {
        try (TestReplicator replicator = TestReplicator.start(topology, central, List.of(REGION))) {
            await().atMost(PATIENCE).until(() -> replicator.status(REGION).consuming());
            region.registerNode("n1", "gpu-a");
            TestRegion.Change good = region.exportNodes("n1");

            region.publish(poisonLike(good, poison), good.version(), good.since());
            await().atMost(PATIENCE).until(() -> replicator.status(REGION).rejectedMessages() == 1);
            region.publish(good);

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(1);
                assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
            });
        }
        assertThat(TestBroker.ready(topology, REGION)).isZero();
    }

    private String poisonLike(TestRegion.Change good, String kind) {
        return switch (kind) {
            case "not JSON" -> "{this is not json";
            case "another region" -> good.body().replace("\"region\":\"" + REGION + "\"", "\"region\":\"us-east\"");
            case "no version" -> good.body().replace("\"v\":\"" + good.version() + "\"", "\"v\":\"soon\"");
            case "a change that is no entity" -> good.body().replace("{" + REGION + "}:node:", "{" + REGION + "}:nope:");
            default -> throw new IllegalArgumentException(kind);
        };
    }
}

package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RedisServer;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A region's change log, published as a gateway does, ends up on central: in order, once, and measured. */
class ReplicationIT {

    private static final String REGION = "eu-west";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final List<ChangeTopology> TOPOLOGIES = new ArrayList<>();
    private static RedisServer central;

    private ChangeTopology topology;
    private TestRegion region;
    private TestReplicator replicator;

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
        replicator = TestReplicator.start(topology, central, List.of(REGION));
    }

    @AfterEach
    void stop() {
        replicator.close();
        region.close();
    }

    @Test
    void appliesTheChangeLogInOrderSoCentralHoldsWhatTheRegionHolds() {
        int published = 0;
        for (int i = 0; i < 20; i++) {
            region.registerNode("n" + i, "gpu-" + (i % 3));
            region.publishNodes("n" + i);
            published++;
        }
        for (int round = 1; round <= 30; round++) {
            region.updateNode("n1", "seq", Integer.toString(round));
            region.updateNode("n" + (round % 20), "state", round % 2 == 0 ? "busy" : "idle");
            region.publishNodes("n1", "n" + (round % 20));
            published++;
        }
        region.setFlag("n2", "pause");
        region.publish(region.export(List.of(region.keys().flag("n2", "pause"))));
        region.deleteNode("n3");
        region.publishNodes("n3");
        published += 2;
        int expected = published;

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(expected);
            assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
        });
        assertThat(central.commands().hget(region.keys().node("n1"), "seq")).isEqualTo("30");
        assertThat(central.commands().exists(region.keys().node("n3"))).isZero();
        assertThat(replicator.status(REGION).rejectedMessages()).isZero();
    }

    @Test
    void leavesCentralAsItWasWhenTheSameMessagesArriveAgain() {
        List<TestRegion.Change> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            region.registerNode("n" + i, "gpu-a");
            region.updateNode("n" + i, "seq", "1");
            changes.add(region.exportNodes("n" + i));
            region.updateNode("n" + i, "seq", "2");
            changes.add(region.exportNodes("n" + i, "n" + ((i + 1) % 10)));
        }
        changes.forEach(region::publish);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(changes.size()));
        Map<String, String> before = everythingButTimes();
        RegionStatus first = replicator.status(REGION);

        changes.forEach(region::publish);

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(replicator.status(REGION).appliedMessages()).isEqualTo(2L * changes.size()));
        RegionStatus second = replicator.status(REGION);
        assertThat(everythingButTimes()).isEqualTo(before);
        assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
        assertThat(second.appliedEntities()).isEqualTo(first.appliedEntities());
        assertThat(second.unchangedEntities() - first.unchangedEntities())
                .isEqualTo(first.appliedEntities() + first.unchangedEntities());
    }

    @Test
    void reportsCountsVersionAndLagOnItsEndpoint() throws IOException {
        region.registerNode("n1", "gpu-a");
        TestRegion.Change change = region.exportNodes("n1");
        long fiveHundredMsAgo = System.currentTimeMillis() - 500;

        region.publish(change.body(), change.version(), fiveHundredMsAgo);

        await().atMost(PATIENCE).until(() -> replicator.status(REGION).appliedMessages() == 1);
        TestReplicator.Answer answer = replicator.get("/v1/replication");
        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> body = json(answer.body());
        assertThat(body).containsEntry("broker", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> eu = ((List<Map<String, Object>>) body.get("regions")).getFirst();
        assertThat(eu).containsEntry("region", REGION)
                .containsEntry("queue", topology.queue(REGION))
                .containsEntry("consuming", true)
                .containsEntry("active", true)
                .containsEntry("appliedMessages", 1)
                .containsEntry("appliedEntities", 1)
                .containsEntry("rejectedMessages", 0)
                .containsEntry("lastAppliedVersion", change.version())
                .containsKeys("lastAppliedAt", "waiting", "lagP50Ms", "lagP99Ms");
        assertThat(((Number) eu.get("lagMaxMs")).doubleValue()).isGreaterThanOrEqualTo(500);

        TestReplicator.Answer health = replicator.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"central\":{\"name\":\"replicator\",\"status\":\"UP\"")
                .contains("\"rabbitmq\":{\"name\":\"replicator\",\"status\":\"UP\"");
        assertThat(replicator.get("/prometheus").body())
                .contains("replication_lag_seconds{region=\"eu-west\",quantile=\"0.99\"}")
                .contains("replication_messages_applied_total{region=\"eu-west\"} 1.0")
                .contains("replication_waiting{region=\"eu-west\"}")
                .contains("replication_applied_version{region=\"eu-west\"}");
    }

    /** Every key of central with its value, except the two that hold times of the last apply. */
    private Map<String, String> everythingButTimes() {
        Map<String, String> all = new TreeMap<>(region.replicated(central));
        all.put(region.keys().versions(), new TreeMap<>(central.commands().hgetall(region.keys().versions())).toString());
        all.put(region.keys().clock(), central.commands().get(region.keys().clock()));
        return all;
    }

    private Map<String, Object> json(String body) throws IOException {
        return replicator.context().getBean(JsonMapper.class)
                .readValue(body, Argument.mapOf(String.class, Object.class));
    }
}

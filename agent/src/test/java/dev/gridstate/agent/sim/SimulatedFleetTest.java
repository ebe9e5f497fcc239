package dev.gridstate.agent.sim;

import dev.gridstate.agent.FakeGateway;
import dev.gridstate.agent.NodeAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SimulatedFleetTest {

    private final FakeGateway euWest = FakeGateway.start().intervalMs(100);
    private final FakeGateway usEast = FakeGateway.start().intervalMs(100);

    @AfterEach
    void tearDown() {
        euWest.close();
        usEast.close();
    }

    @Test
    void shouldRegisterEveryNodeOfEveryRegionWithItsOwnGatewayInAgentsOfOneToEightGpus() {
        try (SimulatedFleet fleet = fleet()) {

            fleet.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> fleet.registeredNodes() == 60);
            assertThat(fleet.nodeIds()).hasSize(60).contains("eu-west-node-0001", "us-east-node-0030");
            assertThat(fleet.agents()).extracting(agent -> agent.nodeIds().size())
                    .allSatisfy(size -> assertThat(size).isBetween(1, 8));
            assertThat(fleet.agentCount()).isLessThan(60);
            assertThat(euWest.received()).allMatch(r -> r.path().startsWith("/v1/heartbeats")
                    || r.path().startsWith("/v1/nodes/eu-west-node-"));
            assertThat(euWest.registrations("eu-west-node-0001")).hasSize(1);
            assertThat(usEast.registrations("us-east-node-0030")).hasSize(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> fleet.counters().heartbeatsOk() >= 120);
            assertThat(fleet.counters().registrations()).isEqualTo(60);
        }
    }

    @Test
    void shouldFlipNodesBetweenIdleAndBusyAndVaryTheirFreeMemory() {
        try (SimulatedFleet fleet = fleet()) {

            fleet.start();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<String> states = fleet.nodeIds().stream().filter(id -> id.startsWith("eu-west"))
                        .flatMap(id -> euWest.heartbeatsOf(id).stream())
                        .map(beat -> beat.body().path("state").asText()).distinct().toList();
                assertThat(states).contains("idle", "busy");
            });
            NodeAgent agent = fleet.agents().get(0);
            String nodeId = agent.nodeIds().get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> euWest.heartbeatsOf(nodeId).stream()
                    .map(beat -> beat.body().path("freeMemoryMb").asLong()).distinct().count() >= 2);
        }
    }

    @Test
    void shouldLetHeldNodesFinishTheirWorkButTakeNoMore() {
        try (SimulatedFleet fleet = fleet()) {
            fleet.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> fleet.registeredNodes() == 60);
            List<String> euNodes = fleet.nodeIds().stream().filter(id -> id.startsWith("eu-west")).toList();

            euWest.directives("[{\"type\":\"pause\",\"reason\":\"test\"}]");

            await().atMost(Duration.ofSeconds(10)).until(() -> euNodes.stream().allMatch(id -> lastState(id).equals("idle")));
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                    .until(() -> euNodes.stream().allMatch(id -> lastState(id).equals("idle")));
            assertThat(usEast.heartbeatsOf("us-east-node-0001")).isNotEmpty();
        }
    }

    private String lastState(String nodeId) {
        List<FakeGateway.Received> beats = euWest.heartbeatsOf(nodeId);
        return beats.get(beats.size() - 1).body().path("state").asText();
    }

    @Test
    void shouldStopEveryAgentWhenClosed() {
        SimulatedFleet fleet = fleet();
        fleet.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.registeredNodes() == 60);

        fleet.close();

        // requests already on the wire may still land; after that, silence
        AtomicInteger seen = new AtomicInteger(received());
        await().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> seen.getAndSet(received()) == received());
    }

    private int received() {
        return euWest.received().size() + usEast.received().size();
    }

    @Test
    void shouldRefuseToStartTwice() {
        try (SimulatedFleet fleet = fleet()) {
            fleet.start();

            assertThatThrownBy(fleet::start).isInstanceOf(IllegalStateException.class)
                    .hasMessage("SimulatedFleet of regions [eu-west, us-east] is already started");
        }
    }

    @Test
    void shouldMakeTheSameFleetFromTheSameSeed() {
        try (SimulatedFleet first = fleet(); SimulatedFleet second = fleet()) {

            assertThat(first.agents()).extracting(agent -> agent.nodeIds())
                    .isEqualTo(second.agents().stream().map(NodeAgent::nodeIds).toList());
        }
    }

    @Test
    void shouldRunTheJobsAssignedToItsNodesThroughTheHandler() {
        List<String> handled = new CopyOnWriteArrayList<>();
        try (SimulatedFleet fleet = builder().jobs(assignment -> {
            handled.add(assignment.nodeId() + "/" + assignment.jobId());
            return null;
        }).build()) {
            fleet.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> fleet.registeredNodes() == 60);

            euWest.assign("eu-west-node-0007", FakeGateway.Job.of("j1"));
            usEast.assign("us-east-node-0030", FakeGateway.Job.of("j2"));

            await().atMost(Duration.ofSeconds(5)).until(() -> fleet.counters().jobsSucceeded() == 2);
            assertThat(handled).containsExactlyInAnyOrder("eu-west-node-0007/j1", "us-east-node-0030/j2");
            assertThat(euWest.results("j1")).hasSize(1);
            assertThat(usEast.results("j2")).hasSize(1);
        }
    }

    private SimulatedFleet fleet() {
        return builder().build();
    }

    private SimulatedFleetBuilder builder() {
        return SimulatedFleet.builder()
                .region("eu-west", List.of(euWest.uri()))
                .region("us-east", List.of(usEast.uri()))
                .nodesPerRegion(30)
                .seed(7)
                .schedulerThreads(2)
                .churnPeriod(Duration.ofMillis(150))
                .churnFraction(0.5)
                .startSpread(Duration.ofMillis(200));
    }
}

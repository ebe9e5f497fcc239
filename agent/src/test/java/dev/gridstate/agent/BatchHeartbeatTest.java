package dev.gridstate.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BatchHeartbeatTest {

    private final FakeGateway gateway = FakeGateway.start().intervalMs(100);
    private final RecordingListener listener = new RecordingListener();
    private NodeAgent agent;

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        gateway.close();
    }

    @Test
    void shouldBatchTheHeartbeatsOfAllNodesOfAnAgentIntoOneRequest() {
        agent = NodeAgent.builder().gateway(gateway.uri()).nodes(TestNodes.specs("n", 3)).build();
        agent.setState("n2", NodeState.DRAINING);

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 3);
        assertThat(gateway.batches()).last().satisfies(batch -> assertThat(batch.body().toString()).isEqualTo(
                "{\"heartbeats\":[{\"nodeId\":\"n1\",\"state\":\"idle\",\"freeMemoryMb\":80000},"
                        + "{\"nodeId\":\"n2\",\"state\":\"draining\",\"freeMemoryMb\":80000},"
                        + "{\"nodeId\":\"n3\",\"state\":\"idle\",\"freeMemoryMb\":80000}]}"));
        assertThat(gateway.received()).noneMatch(r -> r.path().endsWith("/heartbeat"));
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().heartbeatsOk() >= 9);
    }

    @Test
    void shouldSplitABatchIntoChunksOfAtMostOneThousandNodes() {
        agent = NodeAgent.builder().gateway(gateway.uri()).nodes(TestNodes.specs("n", 1001))
                .maxRegistrationsInFlight(32).build();

        agent.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> agent.nodeIds().stream().allMatch(agent::isRegistered)
                && gateway.heartbeatsOf("n1001").size() >= 2);
        List<Integer> sizes = gateway.batches().stream().map(b -> b.body().path("heartbeats").size()).toList();
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 1000));
        assertThat(sizes).contains(1000);
        assertThat(gateway.registrations("n1001")).hasSize(1);
    }

    @Test
    void shouldReRegisterOnlyTheNodeWhoseBatchEntryAnswered409() {
        agent = NodeAgent.builder().gateway(gateway.uri()).nodes(TestNodes.specs("n", 3)).listener(listener).build();
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 2);
        agent.setState("n2", NodeState.BUSY);

        gateway.forget("n2");

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.registrations("n2").size() == 2);
        assertThat(gateway.registrations("n2").get(1).body().path("state").asText()).isEqualTo("busy");
        assertThat(gateway.registrations("n2").get(1).body().path("models").get(0).path("name").asText())
                .isEqualTo("llama-3-8b");
        assertThat(gateway.registrations("n1")).hasSize(1);
        assertThat(gateway.registrations("n3")).hasSize(1);
        assertThat(listener.reRegisterRequested).containsExactly("n2");
        int beatsAfterReRegistration = gateway.heartbeatsOf("n2").size();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n2").size() > beatsAfterReRegistration + 1);
        assertThat(agent.counters().reRegistrations()).isEqualTo(1);
        assertThat(agent.isRegistered("n2")).isTrue();
    }
}

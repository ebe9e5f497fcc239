package dev.gridstate.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BatchHeartbeatTest {

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();

    @Test
    void shouldBatchTheHeartbeatsOfAllNodesOfAnAgentIntoOneRequest() {
        NodeAgent agent = fixture.agent(3);
        agent.setState("n2", NodeState.DRAINING);

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 3);
        assertThat(gateway.batches()).last().satisfies(batch -> assertThat(batch.body().toString()).isEqualTo("""
                {"heartbeats":[\
                {"nodeId":"n1","state":"idle","freeMemoryMb":80000,"nodeToken":"tok-n1-0"},\
                {"nodeId":"n2","state":"draining","freeMemoryMb":80000,"nodeToken":"tok-n2-0"},\
                {"nodeId":"n3","state":"idle","freeMemoryMb":80000,"nodeToken":"tok-n3-0"}]}"""));
        assertThat(gateway.received()).noneMatch(r -> r.path().endsWith("/heartbeat"));
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().heartbeatsOk() >= 9);
    }

    @Test
    void shouldSplitABatchIntoChunksOfAtMostOneThousandNodes() {
        NodeAgent agent = fixture.build(fixture.builder().nodes(TestNodes.specs("n", 1001))
                .maxRegistrationsInFlight(32));

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
        NodeAgent agent = fixture.agent(3);
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

    @Test
    void shouldCountARateLimitedBatchEntryAsFailedWithoutReportingOrReRegistering() {
        NodeAgent agent = fixture.agent(2);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 1);

        gateway.override(request -> request.path().equals("/v1/heartbeats") ? FakeGateway.Reply.of(200, """
                {"results":[{"nodeId":"n1","status":200,"intervalMs":100,"directives":[]},\
                {"nodeId":"n2","status":429,"error":"rate_limited"}]}""") : null);

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().heartbeatsFailed() >= 3);
        assertThat(listener.errors).isEmpty();
        assertThat(listener.reRegisterRequested).isEmpty();
        assertThat(agent.isRegistered("n2")).isTrue();
    }
}

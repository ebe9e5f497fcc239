package dev.gridstate.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReRegistrationTest {

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();

    @Test
    void shouldReSendTheFullRecordWhenAHeartbeatAnswers409AndCarryOnBeating() {
        NodeAgent agent = fixture.agent("n1");
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);
        agent.setState("n1", NodeState.BUSY);
        agent.setFreeMemoryMb("n1", 1_000);

        gateway.forget("n1");

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.registrations("n1").size() == 2);
        assertThat(gateway.registrations("n1").get(1).body().toString()).isEqualTo("""
                {"models":[{"name":"llama-3-8b","version":"q4"}],\
                "gpu":{"model":"A100","memoryMb":81920,"freeMemoryMb":1000},\
                "labels":{"tier":"gold"},"subclouds":["sc-1"],"state":"busy"}""");
        int beats = gateway.heartbeatsOf("n1").size();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= beats + 2);
        assertThat(listener.reRegisterRequested).containsExactly("n1");
        assertThat(listener.registered).containsExactly("n1", "n1");
        assertThat(agent.counters().reRegistrations()).isEqualTo(1);
        assertThat(agent.counters().registrations()).isEqualTo(2);
        assertThat(agent.isRegistered("n1")).isTrue();
    }

    @Test
    void shouldBringEveryNodeBackWithinAboutOneIntervalWhenTheGatewayLostAllState() {
        NodeAgent agent = fixture.agent(5);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 2);

        gateway.forgetAll();

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().reRegistrations() == 5
                && agent.nodeIds().stream().allMatch(agent::isRegistered));
        agent.nodeIds().forEach(id -> assertThat(gateway.registrations(id)).hasSize(2));
    }
}

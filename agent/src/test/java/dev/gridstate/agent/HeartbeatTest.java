package dev.gridstate.agent;

import dev.gridstate.agent.FakeGateway.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HeartbeatTest {

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();

    @Test
    void shouldRegisterTheFullRecordThenHeartbeatAtTheIntervalTheGatewayAnswers() {
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 6);
        Received first = gateway.received().get(0);
        assertThat(first.method()).isEqualTo("PUT");
        assertThat(first.path()).isEqualTo("/v1/nodes/n1");
        assertThat(first.body().toString()).isEqualTo("""
                {"models":[{"name":"llama-3-8b","version":"q4"}],\
                "gpu":{"model":"A100","memoryMb":81920,"freeMemoryMb":80000},\
                "labels":{"tier":"gold"},"subclouds":["sc-1"],"state":"idle"}""");
        List<Received> beats = gateway.heartbeatsOf("n1");
        assertThat(beats).allSatisfy(beat -> {
            assertThat(beat.path()).isEqualTo("/v1/nodes/n1/heartbeat");
            assertThat(beat.body().toString()).isEqualTo("{\"state\":\"idle\",\"freeMemoryMb\":80000}");
            assertThat(beat.authorization()).isEqualTo("Bearer tok-n1-0");
        });
        for (int i = 1; i < beats.size(); i++) {
            // at most 10 % jitter early, and never before the previous beat was answered
            assertThat(Duration.ofNanos(beats.get(i).atNanos() - beats.get(i - 1).atNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(85));
        }
        assertThat(gateway.batches()).isEmpty();
        assertThat(agent.isRegistered("n1")).isTrue();
        assertThat(agent.heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(listener.registered).containsExactly("n1");
        assertThat(agent.counters().registrations()).isEqualTo(1);
        assertThat(agent.counters().heartbeatsOk()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void shouldSendTheLatestStateAndFreeMemoryWithTheNextHeartbeat() {
        NodeAgent agent = fixture.agent("n1");
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 1);

        agent.setState("n1", NodeState.BUSY);
        agent.setFreeMemoryMb("n1", 12_345);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(gateway.heartbeatsOf("n1"))
                .last()
                .extracting(beat -> beat.body().toString())
                .isEqualTo("{\"state\":\"busy\",\"freeMemoryMb\":12345}"));
    }

    @Test
    void shouldHandDirectivesToTheListenerAndKeepTheLastOnes() {
        gateway.directives("[\"pause\",{\"type\":\"drain\",\"until\":\"later\"}]");
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> !listener.directives.isEmpty());
        RecordingListener.Directives first = listener.directives.get(0);
        assertThat(first.nodeId()).isEqualTo("n1");
        assertThat(first.directives()).hasSize(2);
        assertThat(first.directives().get(0).asText()).isEqualTo("pause");
        assertThat(first.directives().get(1).path("type").asText()).isEqualTo("drain");
        assertThat(agent.lastDirectives("n1")).isEqualTo(first.directives());
    }

    @Test
    void shouldNotCallTheListenerForAnEmptyDirectiveList() {
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);
        assertThat(listener.directives).isEmpty();
        assertThat(agent.lastDirectives("n1")).isEmpty();
    }

    @Test
    void shouldKeepBeatingWhenTheListenerThrows() {
        AgentListener throwing = new AgentListener() {
            @Override
            public void onRegistered(String nodeId, boolean created) {
                throw new IllegalStateException("listener bug");
            }
        };
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1")).listener(throwing));

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 3);
    }
}

package dev.gridstate.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FailoverTest {

    private final FakeGateway first = FakeGateway.start().intervalMs(100);
    private final FakeGateway second = FakeGateway.start().intervalMs(100);
    private NodeAgent agent;

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        first.close();
        second.close();
    }

    @Test
    void shouldFailOverToTheSecondUrlWhenTheFirstRefusesConnectionsAndStayThere() {
        agent = agent(TestNodes.closedPort(), second.uri());

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> second.heartbeatsOf("n1").size() >= 5);
        assertThat(second.registrations("n1")).hasSize(1);
        assertThat(agent.counters().failovers()).isEqualTo(1);
        assertThat(agent.isRegistered("n1")).isTrue();
    }

    @Test
    void shouldFailOverWhenTheFirstAnswers503AndStayOnTheSecond() {
        first.override(request -> new FakeGateway.Reply(503, "{\"error\":\"unavailable\"}",
                Map.of("Retry-After", "0")));
        agent = agent(first.uri(), second.uri());

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> second.heartbeatsOf("n1").size() >= 5);
        assertThat(first.received()).hasSize(1);
        assertThat(second.registrations("n1")).hasSize(1);
        assertThat(agent.counters().failovers()).isEqualTo(1);
        assertThat(agent.counters().heartbeatsFailed()).isZero();
    }

    @Test
    void shouldFailOverWhenTheFirstHangsPastTheRequestTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            agent = NodeAgent.builder()
                    .gateway(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .gateway(second.uri())
                    .node(TestNodes.spec("n1"))
                    .requestTimeout(Duration.ofMillis(1_500))
                    .backoffBase(Duration.ofMillis(10)).backoffCap(Duration.ofMillis(50))
                    .build();

            long started = System.nanoTime();
            agent.start();
            // a start() that waited for the first answer would take the whole request timeout
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_000));

            await().atMost(Duration.ofSeconds(5)).until(() -> second.heartbeatsOf("n1").size() >= 2);
            assertThat(agent.counters().failovers()).isEqualTo(1);
        }
    }

    @Test
    void shouldMoveOnAgainWhenTheUrlItStuckToFails() {
        first.override(request -> FakeGateway.Reply.of(503, "{}"));
        agent = agent(first.uri(), second.uri());
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> second.heartbeatsOf("n1").size() >= 2);

        first.behaveNormally();
        second.override(request -> FakeGateway.Reply.of(502, "{}"));

        await().atMost(Duration.ofSeconds(5)).until(() -> first.heartbeatsOf("n1").size() >= 2);
        assertThat(agent.counters().failovers()).isEqualTo(2);
        // the first gateway never stored the node (its PUT got 503): it answered 409 and got the record
        assertThat(first.registrations("n1")).hasSize(2);
        assertThat(agent.counters().reRegistrations()).isEqualTo(1);
    }

    private NodeAgent agent(URI... gateways) {
        NodeAgentBuilder builder = NodeAgent.builder()
                .node(TestNodes.spec("n1"))
                .backoffBase(Duration.ofMillis(10))
                .backoffCap(Duration.ofMillis(50));
        for (URI gateway : gateways) {
            builder.gateway(gateway);
        }
        return builder.build();
    }
}

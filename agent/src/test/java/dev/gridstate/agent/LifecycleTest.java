package dev.gridstate.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LifecycleTest {

    private final FakeGateway gateway = FakeGateway.start().intervalMs(100);

    @AfterEach
    void tearDown() {
        gateway.close();
    }

    @Test
    void shouldStopHeartbeatingAndNotDeregisterWhenClosedByDefault() {
        NodeAgent agent = NodeAgent.builder().gateway(gateway.uri()).node(TestNodes.spec("n1")).build();
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);

        agent.close();

        // a beat already on the wire may still land; after that, four intervals of silence
        AtomicInteger seen = new AtomicInteger(gateway.received().size());
        await().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3))
                .until(() -> seen.getAndSet(gateway.received().size()) == gateway.received().size());
        assertThat(gateway.requests("DELETE", "/v1/nodes/n1")).isEmpty();
    }

    @Test
    void shouldDeleteItsNodesOnCloseWhenAsked() {
        NodeAgent agent = NodeAgent.builder().gateway(gateway.uri()).nodes(TestNodes.specs("n", 2))
                .deregisterOnClose(true).build();
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isRegistered("n1") && agent.isRegistered("n2"));

        agent.close();

        assertThat(gateway.requests("DELETE", "/v1/nodes/n1")).hasSize(1);
        assertThat(gateway.requests("DELETE", "/v1/nodes/n2")).hasSize(1);
    }

    @Test
    void shouldLeaveASharedSchedulerRunningWhenClosed() {
        ScheduledExecutorService shared = Executors.newScheduledThreadPool(2);
        try {
            NodeAgent agent = NodeAgent.builder().gateway(gateway.uri()).node(TestNodes.spec("n1"))
                    .scheduler(shared).build();
            agent.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 1);

            agent.close();

            assertThat(shared.isShutdown()).isFalse();
        } finally {
            shared.shutdownNow();
        }
    }

    @Test
    void shouldRefuseToStartTwiceOrAfterClose() {
        try (NodeAgent agent = NodeAgent.builder().gateway(gateway.uri()).node(TestNodes.spec("n1")).build()) {
            agent.start();

            assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class)
                    .hasMessage("NodeAgent 'n1' cannot start: it is STARTED");
        }
        NodeAgent closed = NodeAgent.builder().gateway(gateway.uri()).nodes(TestNodes.specs("n", 3)).build();
        closed.close();
        assertThatThrownBy(closed::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("NodeAgent 'n1+2' cannot start: it is CLOSED");
    }

    @Test
    void shouldNameTheNodeWhenAskedAboutOneItDoesNotServe() {
        try (NodeAgent agent = NodeAgent.builder().gateway(gateway.uri()).nodes(TestNodes.specs("n", 2)).build()) {

            assertThatThrownBy(() -> agent.setState("x9", NodeState.BUSY)).isInstanceOf(UnknownNodeException.class)
                    .hasMessage("node 'x9' is not served by this agent (it serves [n1, n2])");
        }
    }

    @Test
    void shouldRejectFreeMemoryAboveTheGpusMemory() {
        try (NodeAgent agent = NodeAgent.builder().gateway(gateway.uri()).node(TestNodes.spec("n1")).build()) {

            assertThatThrownBy(() -> agent.setFreeMemoryMb("n1", 90_000))
                    .hasMessage("freeMemoryMb of node 'n1' must be between 0 and 81920, but was 90000");
        }
    }
}

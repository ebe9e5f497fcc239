package dev.gridstate.agent;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeAgentBuilderTest {

    private static final URI GATEWAY = URI.create("http://127.0.0.1:8081");

    @Test
    void shouldUseTheNamedDefaults() {
        AgentConfig config = NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1")).config();

        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.backoff()).isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)));
        assertThat(config.deregisterOnClose()).isFalse();
        assertThat(config.scheduler()).isEmpty();
        assertThat(config.httpClient()).isEmpty();
    }

    @Test
    void shouldTakeNoJobsWithoutAHandlerAndOneAtATimeWithTenSecondPollsWithOne() {
        JobHandler handler = assignment -> null;

        AgentConfig without = NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1")).config();
        AgentConfig with = NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1")).jobs(handler).config();

        assertThat(without.jobs()).isEmpty();
        assertThat(with.jobs()).contains(new JobConfig(handler, 1, Duration.ofSeconds(10)));
    }

    @Test
    void shouldRefuseAJobConcurrencyBelowOneAndAnAssignmentWaitBelowOneMillisecond() {
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1"))
                .jobs(assignment -> null).jobConcurrency(0).build())
                .hasMessage("jobConcurrency must be at least 1, but was 0");
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1"))
                .jobs(assignment -> null).assignmentWait(Duration.ofNanos(500)).build())
                .hasMessage("assignmentWait must be at least 1 ms, but was PT0.0000005S");
    }

    @Test
    void shouldRefuseAnAgentWithoutGateways() {
        assertThatThrownBy(() -> NodeAgent.builder().node(TestNodes.spec("n1")).build())
                .hasMessage("NodeAgent needs at least one gateway URL of its region, but none was given");
    }

    @Test
    void shouldRefuseAGatewayUrlThatIsNotHttp() {
        assertThatThrownBy(() -> NodeAgent.builder().gateway(URI.create("redis://r:6379")).node(TestNodes.spec("n1"))
                .build())
                .hasMessage("gateway URL must be an absolute http or https URL, but was 'redis://r:6379'");
    }

    @Test
    void shouldRefuseAnAgentWithoutNodesOrWithANodeTwice() {
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).build())
                .hasMessage("NodeAgent needs at least one node to serve, but none was given");
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1"))
                .node(TestNodes.spec("n1")).build())
                .hasMessage("node id 'n1' is given twice");
    }

    @Test
    void shouldRefuseABackoffBaseAboveTheCap() {
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1"))
                .backoffBase(Duration.ofSeconds(1)).backoffCap(Duration.ofMillis(500)).build())
                .hasMessage("backoffBase must not exceed backoffCap, but was 1000 ms > 500 ms");
    }

    @Test
    void shouldRefuseANonPositiveTimeoutAndAJitterOfOneOrMore() {
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1"))
                .requestTimeout(Duration.ZERO).build())
                .hasMessage("requestTimeout must be greater than 0, but was PT0S");
        assertThatThrownBy(() -> NodeAgent.builder().gateway(GATEWAY).node(TestNodes.spec("n1"))
                .heartbeatJitter(1.0).build())
                .hasMessage("heartbeatJitter must be at least 0 and lower than 1, but was 1.0");
    }

    @Test
    void shouldRefuseANodeIdOutsideTheGatewaysAlphabet() {
        assertThatThrownBy(() -> new NodeSpec("gpu/0", List.of(), new NodeSpec.Gpu("L4", 24_576, 24_576),
                Map.of(), List.of()))
                .hasMessage("node id must match [A-Za-z0-9._-]{1,128}, but was 'gpu/0'");
    }
}

package dev.gridstate.agent;

import dev.gridstate.agent.FakeGateway.Received;
import dev.gridstate.agent.FakeGateway.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetryTest {

    private static final String INVALID = """
            {"error":"invalid_field","message":"gpu.memoryMb must be positive","field":"gpu.memoryMb"}""";

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();

    @Test
    void shouldKeepRetryingWithDelaysBoundedByTheCapUntilTheGatewayRecovers() {
        gateway.override(request -> Reply.of(503, "{\"error\":\"unavailable\"}"));
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .backoffBase(Duration.ofMillis(20)).backoffCap(Duration.ofMillis(40)));

        agent.start();

        // uncapped, the 15th attempt alone would wait up to 20 ms * 2^14 = 5.5 min
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.registrations("n1").size() >= 15);
        List<Received> attempts = gateway.registrations("n1");
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.ofNanos(attempts.get(i).atNanos() - attempts.get(i - 1).atNanos()))
                    .isLessThan(Duration.ofMillis(1_000));
        }
        assertThat(agent.isRegistered("n1")).isFalse();

        gateway.behaveNormally();

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isRegistered("n1"));
        assertThat(agent.counters().rejections()).isZero();
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsksBeforeRetrying() {
        AtomicInteger calls = new AtomicInteger();
        gateway.override(request -> calls.getAndIncrement() == 0
                ? new Reply(429, "{\"error\":\"too_many_requests\"}", Map.of("Retry-After", "1"))
                : null);
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .backoffBase(Duration.ofMillis(10)).backoffCap(Duration.ofSeconds(5)));

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isRegistered("n1"));
        List<Received> attempts = gateway.registrations("n1");
        assertThat(attempts).hasSize(2);
        assertThat(Duration.ofNanos(attempts.get(1).atNanos() - attempts.get(0).atNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void shouldNotRetryARegistrationRefusedWith400AndReportTheGatewaysMessage() {
        gateway.override(request -> Reply.of(400, INVALID));
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .backoffBase(Duration.ofMillis(5)).backoffCap(Duration.ofMillis(10)));

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> !listener.errors.isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> gateway.received().size() == 1);
        GatewayError error = listener.errors.get(0);
        assertThat(error.nodeId()).isEqualTo("n1");
        assertThat(error.operation()).isEqualTo("register");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.code()).isEqualTo("invalid_field");
        assertThat(error.message()).isEqualTo("gpu.memoryMb must be positive");
        assertThat(error.field()).isEqualTo("gpu.memoryMb");
        assertThat(error.gateway()).isEqualTo(gateway.uri());
        assertThat(agent.isRegistered("n1")).isFalse();
        assertThat(agent.counters().rejections()).isEqualTo(1);
    }

    @Test
    void shouldNotRetryAHeartbeatRefusedWith400ButBeatAgainOnlyAfterAnInterval() {
        gateway.intervalMs(300);
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .backoffBase(Duration.ofMillis(5)).backoffCap(Duration.ofMillis(10)));
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isRegistered("n1"));

        gateway.override(request -> request.path().endsWith("/heartbeat") ? Reply.of(400, INVALID) : null);

        await().atMost(Duration.ofSeconds(5)).until(() -> listener.errors.size() >= 3);
        List<Received> beats = gateway.heartbeatsOf("n1");
        for (int i = 1; i < beats.size(); i++) {
            assertThat(Duration.ofNanos(beats.get(i).atNanos() - beats.get(i - 1).atNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        assertThat(listener.errors).isNotEmpty().allSatisfy(error -> {
            assertThat(error.operation()).isEqualTo("heartbeat");
            assertThat(error.code()).isEqualTo("invalid_field");
        });
        assertThat(agent.counters().heartbeatsFailed()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldReportARefusedBatchOncePerNode() {
        NodeAgent agent = fixture.agent(2);
        agent.start();
        // Both registered first: a node that registers late beats alone until it joins the batch.
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isRegistered("n1") && agent.isRegistered("n2"));

        gateway.override(request -> request.path().equals("/v1/heartbeats") ? Reply.of(400, INVALID) : null);

        await().atMost(Duration.ofSeconds(5)).until(() -> listener.errors.size() >= 2);
        assertThat(listener.errors.subList(0, 2)).extracting(GatewayError::nodeId).containsExactlyInAnyOrder("n1", "n2");
        assertThat(gateway.registrations("n1")).hasSize(1);
    }
}

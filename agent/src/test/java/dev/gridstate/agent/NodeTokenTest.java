package dev.gridstate.agent;

import dev.gridstate.agent.FakeGateway.Received;
import dev.gridstate.agent.FakeGateway.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeTokenTest {

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();
    @RegisterExtension
    final LogCapture log = new LogCapture(HeartbeatSender.class);

    @Test
    void shouldSendTheTokenOfTheRegistrationAnswerAsBearerOnEverySingleHeartbeat() {
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 3);
        assertThat(gateway.registrations("n1").get(0).authorization()).isNull();
        assertThat(gateway.heartbeatsOf("n1")).extracting(Received::authorization).containsOnly("Bearer tok-n1-0");
        assertThat(agent.counters().reRegistrations()).isZero();
    }

    @Test
    void shouldSendEachNodesOwnTokenInItsBatchEntry() {
        NodeAgent agent = fixture.agent(3);

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 2);
        for (String id : List.of("n1", "n2", "n3")) {
            assertThat(gateway.heartbeatsOf(id)).extracting(beat -> beat.body().path("nodeToken").asText())
                    .containsOnly("tok-" + id + "-0");
        }
        assertThat(gateway.batches()).extracting(Received::authorization).containsOnly((String) null);
        assertThat(agent.counters().rejections()).isZero();
    }

    @Test
    void shouldReRegisterForAFreshTokenWhenASingleHeartbeatAnswers401AndCarryOnBeating() {
        NodeAgent agent = fixture.agent("n1");
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);

        gateway.rotateSecret();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").stream()
                .filter(beat -> "Bearer tok-n1-1".equals(beat.authorization())).count() >= 2);
        assertThat(gateway.registrations("n1")).hasSize(2);
        assertThat(listener.reRegisterRequested).containsExactly("n1");
        assertThat(listener.errors).isEmpty();
        assertThat(agent.counters().reRegistrations()).isEqualTo(1);
        assertThat(agent.isRegistered("n1")).isTrue();
    }

    @Test
    void shouldReRegisterOnlyTheNodeWhoseBatchEntryAnswered401() {
        NodeAgent agent = fixture.agent(3);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.batches().size() >= 2);

        gateway.revokeToken("n2");

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n2").stream()
                .filter(beat -> beat.body().path("nodeToken").asText().equals("tok-n2-1")).count() >= 2);
        assertThat(gateway.registrations("n2")).hasSize(2);
        assertThat(gateway.registrations("n1")).hasSize(1);
        assertThat(gateway.registrations("n3")).hasSize(1);
        assertThat(listener.reRegisterRequested).containsExactly("n2");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void shouldSendNoAuthorizationWhenTheGatewayIssuesNoToken() {
        gateway.override(request -> switch (request.method()) {
            case "PUT" -> Reply.of(201, "{\"created\":true,\"intervalMs\":100}");
            case "POST" -> Reply.of(200, "{\"ttlMs\":300,\"intervalMs\":100,\"directives\":[]}");
            default -> null;
        });
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);
        assertThat(gateway.heartbeatsOf("n1")).extracting(Received::authorization).containsOnly((String) null);
    }

    @Test
    void shouldIgnoreATokenThatCannotTravelInAHeader() {
        gateway.override(request -> request.method().equals("PUT")
                ? Reply.of(201, "{\"created\":true,\"intervalMs\":100,\"nodeToken\":\"two\\nlines\"}")
                : request.method().equals("POST") ? Reply.of(200, "{\"intervalMs\":100,\"directives\":[]}") : null);
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);
        assertThat(gateway.heartbeatsOf("n1")).extracting(Received::authorization).containsOnly((String) null);
    }

    @Test
    void shouldSendTheTokenWithTheDeregistrationOnClose() {
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1")).deregisterOnClose(true));
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isRegistered("n1"));

        agent.close();

        assertThat(gateway.requests("DELETE", "/v1/nodes/n1")).extracting(Received::authorization)
                .containsExactly("Bearer tok-n1-0");
    }

    @Test
    @DisplayName("a token refused before it was ever accepted points the operator at the gateways' shared secret")
    void shouldWarnWhenAFreshlyIssuedTokenIsRefused() {
        gateway.override(request -> request.path().endsWith("/heartbeat")
                ? Reply.of(401, "{\"error\":\"unauthorized\"}") : null);
        NodeAgent agent = fixture.agent("n1");

        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.registrations("n1").size() >= 3);
        assertThat(log.lines()).contains("WARN the gateway refused the token it issued to node 'n1' at its last "
                + "registration; do all gateways of the region share gateway.node-token-secret?");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void shouldNotWarnWhenATokenThatWorkedGoesStale() {
        NodeAgent agent = fixture.agent("n1");
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 2);

        gateway.rotateSecret();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.registrations("n1").size() == 2);
        assertThat(log.lines()).isEmpty();
    }
}

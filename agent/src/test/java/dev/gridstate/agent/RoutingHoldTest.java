package dev.gridstate.agent;

import dev.gridstate.agent.FakeGateway.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RoutingHoldTest {

    private static final String PAUSE = "{\"type\":\"pause\",\"reason\":\"operator\",\"until\":1767225600000}";
    private static final String NOTICE = "{\"type\":\"notice\",\"id\":\"m-1\",\"text\":\"region maintenance Sunday 02:00\","
            + "\"until\":1767225600000}";

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    @RegisterExtension
    final LogCapture log = new LogCapture(DirectiveHandler.class);
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pause", "cooldown", "maintenance", "freeze", "quarantine"})
    @DisplayName("a routing hold stops the node offering itself while it keeps beating, until an answer comes without it")
    void shouldStopOfferingWhileHeldAndOfferAgainWhenLifted(String type) {
        NodeAgent agent = started(1);
        gateway.directives("[{\"type\":\"" + type + "\",\"reason\":\"test\"}]");

        await().atMost(Duration.ofSeconds(5)).until(() -> !agent.isOffering("n1"));
        int beats = gateway.heartbeatsOf("n1").size();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= beats + 3);
        assertThat(agent.isOffering("n1")).isFalse();
        assertThat(agent.isRegistered("n1")).isTrue();
        assertThat(agent.routingHolds("n1")).extracting(hold -> hold.path("type").asText()).containsExactly(type);

        gateway.directives("[]");

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isOffering("n1"));
        assertThat(agent.routingHolds("n1")).isEmpty();
        assertThat(listener.routingHolds).extracting(RecordingListener.Directives::nodeId).containsExactly("n1", "n1");
        assertThat(listener.routingHolds.get(0).directives()).extracting(hold -> hold.path("reason").asText())
                .containsExactly("test");
        assertThat(listener.routingHolds.get(1).directives()).isEmpty();
    }

    @Test
    void shouldTellTheListenerOnlyWhenTheHoldsChange() {
        NodeAgent agent = started(1);

        gateway.directives("[" + PAUSE + "]");
        await().atMost(Duration.ofSeconds(5)).until(() -> !agent.isOffering("n1"));
        int beats = gateway.heartbeatsOf("n1").size();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= beats + 3);
        gateway.directives("[" + PAUSE + ",{\"type\":\"freeze\",\"reason\":\"abuse\"}]");
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.routingHolds("n1").size() == 2);

        assertThat(listener.routingHolds).extracting(hold -> hold.directives().size()).containsExactly(1, 2);
    }

    @Test
    void shouldHoldEveryNodeOfABatchThatGetsAHold() {
        NodeAgent agent = started(3);

        gateway.directives("[" + PAUSE + "]");

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.nodeIds().stream().noneMatch(agent::isOffering));
    }

    @Test
    void shouldKeepOfferingWithNoticesAndDirectivesItDoesNotKnow() {
        NodeAgent agent = started(1);

        gateway.directives("[" + NOTICE + ",{\"type\":\"drain\"},\"pause\"]");

        await().atMost(Duration.ofSeconds(5)).until(() -> listener.directives.size() >= 3);
        assertThat(agent.isOffering("n1")).isTrue();
        assertThat(listener.routingHolds).isEmpty();
    }

    @Test
    @DisplayName("a notice is logged once per id, however many beats and nodes carry it")
    void shouldLogEachNoticeOnce() {
        started(3);

        gateway.directives("[" + NOTICE + "]");
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.directives.size() >= 9);
        gateway.directives("[" + NOTICE + ",{\"type\":\"notice\",\"id\":\"m-2\",\"text\":\"second\\nline\"}]");
        int seen = listener.directives.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.directives.size() >= seen + 9);

        assertThat(log.lines()).filteredOn(line -> line.contains("notice")).containsExactly(
                "WARN notice from the gateway (m-1): region maintenance Sunday 02:00 (until 2026-01-01T00:00:00Z)",
                "WARN notice from the gateway (m-2): second line");
    }

    @Test
    @DisplayName("disconnect announces the expected absence with the node's token and stops offering until the next beat")
    void shouldAnnounceADisconnectionAndOfferAgainAfterTheNextHeartbeat() throws Exception {
        gateway.intervalMs(300);
        NodeAgent agent = started(1);

        CompletableFuture<Boolean> announced = agent.disconnect("n1", Duration.ofSeconds(30));

        assertThat(agent.isOffering("n1")).isFalse();
        assertThat(announced.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.disconnections("n1")).singleElement().satisfies(request -> {
            assertThat(request.body().toString()).isEqualTo("{\"expectedMs\":30000}");
            assertThat(request.authorization()).isEqualTo("Bearer tok-n1-0");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.isOffering("n1"));
        assertThat(gateway.heartbeatsOf("n1").get(gateway.heartbeatsOf("n1").size() - 1).atNanos())
                .isGreaterThan(gateway.disconnections("n1").get(0).atNanos());
    }

    @Test
    void shouldReportARefusedDisconnectionWithoutReRegistering() throws Exception {
        NodeAgent agent = started(1);
        gateway.override(request -> request.path().endsWith("/disconnect")
                ? Reply.of(401, "{\"error\":\"unauthorized\",\"message\":\"a valid node token is required\"}") : null);

        boolean announced = agent.disconnect("n1", Duration.ofMinutes(5)).get(5, TimeUnit.SECONDS);

        assertThat(announced).isFalse();
        assertThat(listener.errors).singleElement().satisfies(error -> {
            assertThat(error.operation()).isEqualTo("disconnect");
            assertThat(error.status()).isEqualTo(401);
        });
        assertThat(gateway.registrations("n1")).hasSize(1);
    }

    @Test
    void shouldRefuseAnExpectedAbsenceBelowOneMillisecond() {
        NodeAgent agent = fixture.agent("n1");

        assertThatThrownBy(() -> agent.disconnect("n1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected disconnection of node 'n1' must be at least 1ms, but was PT0S");
    }

    @Test
    void shouldNotOfferANodeBeforeItIsRegistered() {
        NodeAgent agent = fixture.agent("n1");

        assertThat(agent.isOffering("n1")).isFalse();
    }

    private NodeAgent started(int nodes) {
        NodeAgent agent = nodes == 1 ? fixture.agent("n1") : fixture.agent(nodes);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.nodeIds().stream().allMatch(agent::isOffering)
                && gateway.heartbeatsOf(agent.nodeIds().get(0)).size() >= 1);
        return agent;
    }
}

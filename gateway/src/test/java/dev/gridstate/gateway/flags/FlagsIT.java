package dev.gridstate.gateway.flags;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every row of the flag table: who is routed to, who is told, and for how long. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlagsIT {

    private static final String CLAIM = "{\"model\":\"llama-3-8b\"}";

    private TestRegion region;
    private Http http;
    private Http admin;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of("gateway.registry.heartbeat-interval", "300ms",
                "gateway.registry.heartbeat-ttl", "3s"));
        http = region.http();
        admin = http.asAdmin();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void oneIdleNode() {
        region.reset();
        http.put("/v1/nodes/n1", Nodes.spec(80000));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pause,60000", "cooldown,60000", "maintenance,60000", "maintenance,", "freeze,", "shadow-ban,"})
    @DisplayName("a flagged node is neither claimed nor matched, and is again once the flag is lifted")
    void shouldKeepFlaggedNodesOutOfRouting(String kind, Long ttlMs) {
        String body = ttlMs == null ? "{\"reason\":\"test\"}" : "{\"reason\":\"test\",\"ttlMs\":" + ttlMs + "}";

        assertThat(admin.put("/v1/admin/nodes/n1/flags/" + kind, body).status()).isEqualTo(200);

        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(404);
        assertThat(http.get("/v1/nodes?model=llama-3-8b").json().get("count").asInt()).isZero();
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("flags").has(kind)).isTrue();
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("routable").asBoolean()).isFalse();

        assertThat(admin.delete("/v1/admin/nodes/n1/flags/" + kind).status()).isEqualTo(204);
        http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}");
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("routable").asBoolean()).isTrue();

        assertThat(http.get("/v1/nodes?model=llama-3-8b").json().get("count").asInt()).isEqualTo(1);
        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pause,60000", "cooldown,60000", "maintenance,60000", "freeze,"})
    @DisplayName("a paused, cooling-down, in-maintenance or frozen node is told so in its heartbeat answer")
    void shouldTellTheNode(String kind, Long ttlMs) {
        String body = ttlMs == null ? "{\"reason\":\"because\"}" : "{\"reason\":\"because\",\"ttlMs\":" + ttlMs + "}";
        admin.put("/v1/admin/nodes/n1/flags/" + kind, body);

        JsonNode directives = http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}").json().get("directives");

        assertThat(directives).hasSize(1);
        assertThat(directives.get(0).get("type").asText()).isEqualTo(kind);
        assertThat(directives.get(0).get("reason").asText()).isEqualTo("because");
        assertThat(directives.get(0).has("until")).isEqualTo(ttlMs != null);
    }

    @Test
    @DisplayName("maintenance carries its notice text to the node")
    void shouldCarryTheMaintenanceNotice() {
        admin.put("/v1/admin/nodes/n1/flags/maintenance", "{\"reason\":\"disk\",\"notice\":\"back at 14:00 UTC\"}");

        JsonNode directive = http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}").json().get("directives").get(0);

        assertThat(directive.get("notice").asText()).isEqualTo("back at 14:00 UTC");
        assertThat(directive.has("until")).isFalse();
    }

    @Test
    @DisplayName("a shadow-banned node's own answers are byte-for-byte what they were before the ban")
    void shouldHideTheShadowBanFromTheNode() {
        List<String> before = nodeFacingAnswers();

        admin.put("/v1/admin/nodes/n1/flags/shadow-ban", "{\"reason\":\"fraud\"}");
        List<String> during = nodeFacingAnswers();

        assertThat(during).isEqualTo(before);
        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(404);
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("flags").get("shadow-ban").get("reason").asText()).isEqualTo("fraud");
    }

    @Test
    @DisplayName("a pause runs out by itself: routed to again after its TTL and the next heartbeat")
    void shouldEndATimedFlagByItself() {
        admin.put("/v1/admin/nodes/n1/flags/pause", "{\"reason\":\"short\",\"ttlMs\":500}");
        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}");
            return http.post("/v1/claims", CLAIM).status() == 201;
        });

        assertThat(admin.get("/v1/admin/nodes/n1").json().get("flags").size()).isZero();
    }

    @Test
    @DisplayName("a freeze voids the node's claims at once")
    void shouldVoidClaimsOnFreeze() {
        String claimId = http.post("/v1/claims", CLAIM).json().get("claimId").asText();

        admin.put("/v1/admin/nodes/n1/flags/freeze", "{\"reason\":\"violation\"}");

        assertThat(http.post("/v1/claims/" + claimId + "/renew", "").status()).isEqualTo(404);
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("claimId").isNull()).isTrue();
        assertThat(http.delete("/v1/claims/" + claimId).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("a region-wide notice rides on every heartbeat answer until it expires")
    void shouldCarryRegionNotices() {
        http.put("/v1/nodes/n2", Nodes.spec(80000));
        assertThat(admin.put("/v1/admin/notices/upgrade", "{\"text\":\"gateway upgrade at 02:00\",\"ttlMs\":1500}").status())
                .isEqualTo(200);

        for (String node : List.of("n1", "n2")) {
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                JsonNode d = http.post("/v1/nodes/" + node + "/heartbeat", "{\"state\":\"idle\"}").json().get("directives");
                assertThat(d).anySatisfy(n -> assertThat(n.get("text").asText()).isEqualTo("gateway upgrade at 02:00"));
            });
        }

        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(
                http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}").json().get("directives")).isEmpty());
    }

    @Test
    @DisplayName("a node that reports a disconnection leaves routing until its next heartbeat")
    void shouldHonourReportedDisconnections() {
        assertThat(http.post("/v1/nodes/n1/disconnect", "{\"expectedMs\":60000}").status()).isEqualTo(204);

        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(404);
        assertThat(http.get("/v1/nodes/n1").json().get("status").asText()).isEqualTo("online");
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("disconnectedMsLeft").asLong()).isPositive();
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("routable").asBoolean()).isFalse();

        http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}");

        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(201);
    }

    @Test
    @DisplayName("flags need the right lifetime: pause without ttlMs, freeze with one, an unknown kind: 400 and nothing set")
    void shouldRefuseFlagsWithTheWrongLifetime() {
        Http.Answer pause = admin.put("/v1/admin/nodes/n1/flags/pause", "{\"reason\":\"x\"}");
        Http.Answer freeze = admin.put("/v1/admin/nodes/n1/flags/freeze", "{\"reason\":\"x\",\"ttlMs\":1000}");
        Http.Answer unknown = admin.put("/v1/admin/nodes/n1/flags/vacation", "{\"reason\":\"x\"}");
        Http.Answer noReason = admin.put("/v1/admin/nodes/n1/flags/freeze", "{}");

        assertThat(pause.json().get("field").asText()).isEqualTo("ttlMs");
        assertThat(freeze.json().get("field").asText()).isEqualTo("ttlMs");
        assertThat(unknown.json().get("field").asText()).isEqualTo("kind");
        assertThat(noReason.json().get("field").asText()).isEqualTo("reason");
        for (Http.Answer a : List.of(pause, freeze, unknown, noReason)) {
            assertThat(a.status()).isEqualTo(400);
        }
        assertThat(admin.get("/v1/admin/nodes/n1").json().get("flags").size()).isZero();
        assertThat(http.post("/v1/claims", CLAIM).status()).isEqualTo(201);
    }

    /** What the node itself sees: its registration, single and batch heartbeat answers. */
    private List<String> nodeFacingAnswers() {
        List<String> answers = new ArrayList<>();
        answers.add(http.put("/v1/nodes/n1", Nodes.spec(80000)).body());
        answers.add(http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}").body());
        answers.add(http.post("/v1/heartbeats", Nodes.batch(List.of(Nodes.beat("n1", "idle")))).body());
        answers.add(String.valueOf(http.post("/v1/nodes/n1/disconnect", "{\"expectedMs\":1}").status()));
        return answers;
    }
}

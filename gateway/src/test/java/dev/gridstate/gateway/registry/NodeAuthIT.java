package dev.gridstate.gateway.registry;

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

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** No node can speak for another, and none can beat faster than its rate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeAuthIT {

    private TestRegion region;
    private Http http;

    @BeforeAll
    void start() {
        region = TestRegion.start(2, Map.of("gateway.rate-limit.limit-for-period", "3",
                "gateway.rate-limit.limit-refresh-period", "1m"));
        http = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void twoNodes() {
        region.reset();
        http.put("/v1/nodes/n1", Nodes.spec(80000));
        http.put("/v1/nodes/n2", Nodes.spec(80000));
    }

    @Test
    @DisplayName("registration answers a node token that both replicas accept, and that survives losing the region's Redis")
    void shouldIssueADerivedToken() {
        String token = Http.token("n1");

        region.regional().flushAll();
        http.put("/v1/nodes/n1", Nodes.spec(80000));

        assertThat(Http.token("n1")).isEqualTo(token);
        assertThat(region.gateway(1).http().withBearer(token).post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}").status())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("heartbeats, disconnects and deregistrations without the node's own token answer 401 and change nothing")
    void shouldRefuseOtherNodesTokens() {
        Http none = http.withBearer("");
        Http wrong = http.withBearer("not-a-token");
        Http other = http.withBearer(Http.token("n2"));

        for (Http impostor : List.of(none, wrong, other)) {
            Http.Answer beat = impostor.post("/v1/nodes/n1/heartbeat", "{\"state\":\"draining\"}");
            Http.Answer away = impostor.post("/v1/nodes/n1/disconnect", "{\"expectedMs\":60000}");
            Http.Answer gone = impostor.delete("/v1/nodes/n1");
            assertThat(gone.status()).isEqualTo(401);
            assertThat(beat.status()).isEqualTo(401);
            assertThat(beat.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(away.status()).isEqualTo(401);
        }
        assertThat(http.get("/v1/nodes/n1").json().get("state").asText()).isEqualTo("idle");
        assertThat(http.post("/v1/claims", "{\"model\":\"llama-3-8b\"}").status()).isEqualTo(201);
    }

    @Test
    @DisplayName("a batch answers 401 for each entry with a bad token and applies the others")
    void shouldRefuseBadEntriesOfABatch() {
        String forged = "{\"nodeId\":\"n2\",\"state\":\"draining\",\"nodeToken\":\"" + Http.token("n1") + "\"}";

        JsonNode results = http.post("/v1/heartbeats", Nodes.batch(List.of(Nodes.beat("n1", "busy"), forged)))
                .json().get("results");

        assertThat(results.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(401);
        assertThat(http.get("/v1/nodes/n1").json().get("state").asText()).isEqualTo("busy");
        assertThat(http.get("/v1/nodes/n2").json().get("state").asText()).isEqualTo("idle");
    }

    @Test
    @DisplayName("past its rate a node's heartbeats answer 429 with Retry-After, single or in a batch")
    void shouldLimitEachNodesRate() {
        // A node of its own: limiters live per process, across the tests of this class.
        http.put("/v1/nodes/r1", Nodes.spec(80000));
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/v1/nodes/r1/heartbeat", "{\"state\":\"idle\"}").status()).isEqualTo(200);
        }

        Http.Answer single = http.post("/v1/nodes/r1/heartbeat", "{\"state\":\"busy\"}");
        JsonNode batch = http.post("/v1/heartbeats", Nodes.batch(List.of(Nodes.beat("r1", "busy"), Nodes.beat("n2", "busy"))))
                .json().get("results");

        assertThat(single.status()).isEqualTo(429);
        assertThat(single.json().get("error").asText()).isEqualTo("rate_limited");
        assertThat(single.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(batch.get(0).get("status").asInt()).isEqualTo(429);
        assertThat(batch.get(1).get("status").asInt()).isEqualTo(200);
        assertThat(http.get("/v1/nodes/r1").json().get("state").asText()).isEqualTo("idle");
    }
}

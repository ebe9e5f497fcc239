package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Refusals;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every kind of bad input gets a clear 4xx JSON error, and the store is byte-for-byte unchanged after it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private TestRegion region;
    private Http http;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
        http = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void oneKnownNode() {
        region.reset();
        assertThat(http.put("/v1/nodes/n1", Nodes.spec(80000)).status()).isEqualTo(201);
    }

    static Stream<Arguments> badRequests() {
        String good = Nodes.spec(80000);
        return Stream.of(
                arguments("PUT", "/v1/nodes/n1", "{\"models\":", 400, "malformed_json", null),
                arguments("PUT", "/v1/nodes/n1", "[]", 400, "invalid_field", "$"),
                arguments("PUT", "/v1/nodes/n1", good.replace("81920", "\"lots\""), 400, "invalid_field", "gpu.memoryMb"),
                arguments("PUT", "/v1/nodes/n1", "{\"models\":[{\"name\":\"m\",\"version\":\"v\"}]}", 400, "missing_field", "gpu"),
                arguments("PUT", "/v1/nodes/n1", good.replace("\"version\":\"q4\"", "\"v\":\"q4\""), 400, "missing_field", "models[0].version"),
                arguments("PUT", "/v1/nodes/n1", good.replace("81920", "-1"), 400, "invalid_field", "gpu.memoryMb"),
                arguments("PUT", "/v1/nodes/n1", good.replace("80000", "90000"), 400, "invalid_field", "gpu.freeMemoryMb"),
                arguments("PUT", "/v1/nodes/n1", good.replace("llama-3-8b", "llama 3"), 400, "invalid_field", "models[0].name"),
                arguments("PUT", "/v1/nodes/n1", good.replace("\"tier\"", "\"ti er\""), 400, "invalid_field", "labels.ti er"),
                arguments("PUT", "/v1/nodes/n1", good.replace("\"sc-1\"", "7"), 400, "invalid_field", "subclouds[0]"),
                arguments("PUT", "/v1/nodes/n1", good.replace("{\"models\"", "{\"state\":\"asleep\",\"models\""), 400, "invalid_field", "state"),
                arguments("PUT", "/v1/nodes/n1", good.replace("[{\"name\":\"llama-3-8b\",\"version\":\"q4\"}]", "[]"), 400, "invalid_field", "models"),
                arguments("PUT", "/v1/nodes/bad$id", good, 400, "invalid_node_id", "nodeId"),
                arguments("PUT", "/v1/nodes/" + "x".repeat(129), good, 400, "invalid_node_id", "nodeId"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{\"state\":\"asleep\"}", 400, "invalid_field", "state"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{\"state\":1}", 400, "invalid_field", "state"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{}", 400, "missing_field", "state"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{\"state\":\"busy\",\"freeMemoryMb\":-5}", 400, "invalid_field", "freeMemoryMb"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{\"state\":\"busy\",\"freeMemoryMb\":1.5}", 400, "invalid_field", "freeMemoryMb"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{\"state\":\"busy\",\"freeMemoryMb\":\"5\"}", 400, "invalid_field", "freeMemoryMb"),
                arguments("POST", "/v1/nodes/n1/heartbeat", "{\"state\":\"busy\"", 400, "malformed_json", null),
                arguments("POST", "/v1/nodes/n1/heartbeat", "", 400, "missing_body", null),
                arguments("POST", "/v1/nodes/bad$id/heartbeat", "{\"state\":\"busy\"}", 400, "invalid_node_id", "nodeId"),
                arguments("POST", "/v1/heartbeats", "{}", 400, "missing_field", "heartbeats"),
                arguments("POST", "/v1/heartbeats", "{\"heartbeats\":{}}", 400, "invalid_field", "heartbeats"),
                arguments("POST", "/v1/heartbeats", "{\"heartbeats\":[{\"nodeId\":\"n1\",\"state\":\"busy\"},{\"state\":\"idle\"}]}",
                        400, "missing_field", "heartbeats[1].nodeId"),
                arguments("POST", "/v1/heartbeats", "{\"heartbeats\":[{\"nodeId\":\"n1\",\"state\":\"busy\"},{\"nodeId\":\"n 2\",\"state\":\"idle\"}]}",
                        400, "invalid_field", "heartbeats[1].nodeId"),
                arguments("POST", "/v1/heartbeats", "{\"heartbeats\":[{\"nodeId\":\"n1\",\"state\":\"busy\"},{\"nodeId\":\"n1\",\"state\":\"off\"}]}",
                        400, "invalid_field", "heartbeats[1].state"),
                arguments("POST", "/v1/heartbeats", "{\"heartbeats\":[" + "{\"nodeId\":\"n1\",\"state\":\"busy\"},".repeat(1000)
                        + "{\"nodeId\":\"n1\",\"state\":\"busy\"}]}", 400, "invalid_field", "heartbeats"),
                arguments("GET", "/v1/nodes?limit=0", null, 400, "invalid_field", "limit"),
                arguments("GET", "/v1/nodes?limit=abc", null, 400, "invalid_field", "limit"),
                arguments("GET", "/v1/nodes?minFreeMemoryMb=-5", null, 400, "invalid_field", "minFreeMemoryMb"),
                arguments("GET", "/v1/nodes?state=asleep", null, 400, "invalid_field", "state"),
                arguments("GET", "/v1/nodes?label=tier", null, 400, "invalid_field", "label"),
                arguments("GET", "/v1/nodes?version=q4", null, 400, "invalid_field", "version"),
                arguments("GET", "/v1/nodes?colour=red", null, 400, "invalid_field", "colour"),
                arguments("DELETE", "/v1/nodes/bad$id", null, 400, "invalid_node_id", "nodeId"),
                arguments("POST", "/v1/nodes/n1/disconnect", "{\"expectedMs\":0}", 400, "invalid_field", "expectedMs"),
                arguments("POST", "/v1/nodes/n1/disconnect", "{}", 400, "missing_field", "expectedMs"),
                arguments("POST", "/v1/nodes/n1/disconnect", "{\"expectedMs\":3600001}", 400, "invalid_field", "expectedMs"),
                arguments("POST", "/v1/claims", "{\"model\":\"llama 3\"}", 400, "invalid_field", "model"),
                arguments("POST", "/v1/claims", "{\"model\":\"m\",\"leaseMs\":\"long\"}", 400, "invalid_field", "leaseMs"),
                arguments("POST", "/v1/claims", "[", 400, "malformed_json", null),
                arguments("ADMIN PUT", "/v1/admin/nodes/n1/flags/pause", "{\"reason\":\"x\",\"ttlMs\":-1}", 400, "invalid_field", "ttlMs"),
                arguments("ADMIN PUT", "/v1/admin/nodes/n1/flags/pause", "{\"reason\":\"x\",\"ttlMs\":0}", 400, "invalid_field", "ttlMs"),
                arguments("ADMIN PUT", "/v1/admin/nodes/n1/flags/pause", "{\"reason\":5,\"ttlMs\":1000}", 400, "invalid_field", "reason"),
                arguments("ADMIN PUT", "/v1/admin/nodes/n1/flags/freeze", "{\"reason\":\"x\",\"notice\":\"y\"}", 400, "invalid_field", "notice"),
                arguments("ADMIN PUT", "/v1/admin/nodes/bad$id/flags/freeze", "{\"reason\":\"x\"}", 400, "invalid_node_id", "nodeId"),
                arguments("ADMIN PUT", "/v1/admin/notices/n", "{\"text\":\"\",\"ttlMs\":1000}", 400, "invalid_field", "text"),
                arguments("ADMIN PUT", "/v1/admin/notices/n", "{\"text\":\"hello\"}", 400, "missing_field", "ttlMs"),
                arguments("ADMIN PUT", "/v1/admin/notices/n", "{\"text\":\"hello\",\"ttlMs\":2592000001}", 400, "invalid_field", "ttlMs"));
    }

    @ParameterizedTest(name = "{0} {1} → {3} {4}")
    @MethodSource("badRequests")
    @DisplayName("bad input answers 4xx with error, message and field, and changes nothing")
    void shouldRefuseAndChangeNothing(String method, String path, String body, int status, String error, String field) {
        Map<String, String> before = region.snapshot();

        Http client = method.startsWith("ADMIN ") ? http.asAdmin() : http;
        Http.Answer answer = client.send(client.request(path.replace("$", "%24"))
                .method(method.replace("ADMIN ", ""),
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));

        Refusals.assertClearError(answer, status, error, field);
        assertThat(region.snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("a body over the size limit answers 413 in the same JSON shape")
    void shouldRefuseOversizedBodies() {
        Map<String, String> before = region.snapshot();

        Http.Answer answer = http.post("/v1/heartbeats", " ".repeat(1_100_000));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error").asText()).isEqualTo("body_too_large");
        assertThat(region.snapshot()).isEqualTo(before);
    }

    @Test
    @DisplayName("a body that is not JSON by its content type answers 415; unknown routes 404; wrong methods 405")
    void shouldAnswerFrameworkErrorsInTheSameShape() {
        Http.Answer text = http.send(http.request("/v1/nodes/n1/heartbeat")
                .setHeader("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"busy\"}")));
        Http.Answer route = http.get("/v1/nope");
        Http.Answer method = http.send(http.request("/v1/nodes/n1").method("PATCH", HttpRequest.BodyPublishers.noBody()));

        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("error").asText()).isEqualTo("not_found");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(http.get("/v1/nodes/n1").json().get("state").asText()).isEqualTo("idle");
    }

}

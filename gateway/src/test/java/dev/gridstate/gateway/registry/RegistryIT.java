package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryIT {

    private static final String R = TestRegion.KEYS;

    private TestRegion region;
    private RedisServer regional;
    private Http http;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
        regional = region.regional();
        http = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void empty() {
        region.reset();
    }

    @Test
    @DisplayName("a first registration answers 201, a replacement 200, both with the heartbeat timing")
    void shouldTellCreatedFromReplaced() {
        Http.Answer first = http.put("/v1/nodes/n1", Nodes.spec(80000));
        Http.Answer second = http.put("/v1/nodes/n1", Nodes.spec(70000));

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(first.json().get("ttlMs").asLong()).isEqualTo(15000);
        assertThat(first.json().get("intervalMs").asLong()).isEqualTo(5000);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("created").asBoolean()).isFalse();
        assertThat(http.get("/v1/nodes/n1").json().get("gpu").get("freeMemoryMb").asLong()).isEqualTo(70000);
    }

    @Test
    @DisplayName("a node's record reads back as registered, online, with its heartbeat times")
    void shouldReadBackARegisteredNode() {
        http.put("/v1/nodes/n1", Nodes.spec("mistral-7b", "q8", 24576, 20000, "silver"));

        JsonNode node = http.get("/v1/nodes/n1").json();

        assertThat(node.get("status").asText()).isEqualTo("online");
        assertThat(node.get("region").asText()).isEqualTo("eu-west");
        assertThat(node.get("state").asText()).isEqualTo("idle");
        assertThat(node.get("models").get(0).get("name").asText()).isEqualTo("mistral-7b");
        assertThat(node.get("gpu").get("memoryMb").asLong()).isEqualTo(24576);
        assertThat(node.get("labels").get("tier").asText()).isEqualTo("silver");
        assertThat(node.get("subclouds").get(0).asText()).isEqualTo("sc-1");
        assertThat(node.get("lastHeartbeatAt").asLong()).isPositive();
        assertThat(http.get("/v1/nodes/ghost").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("replacing a registration moves the node from its old indexes to its new ones")
    void shouldMoveIndexesOnReplace() {
        http.put("/v1/nodes/n1", Nodes.spec("llama-3-8b", "q4", 81920, 80000, "gold"));

        http.put("/v1/nodes/n1", Nodes.spec("sdxl", "1.0", 81920, 60000, "silver"));

        RedisCommands<String, String> redis = regional.commands();
        assertThat(redis.zscore(R + "model:llama-3-8b", "n1")).isNull();
        assertThat(redis.zscore(R + "modelv:llama-3-8b@q4", "n1")).isNull();
        assertThat(redis.sismember(R + "label:tier=gold", "n1")).isFalse();
        assertThat(redis.zscore(R + "model:sdxl", "n1")).isEqualTo(60000.0);
        assertThat(redis.zscore(R + "modelv:sdxl@1.0", "n1")).isEqualTo(60000.0);
        assertThat(redis.zscore(R + "free", "n1")).isEqualTo(60000.0);
        assertThat(redis.sismember(R + "label:tier=silver", "n1")).isTrue();
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b"))).isEmpty();
        assertThat(ids(http.get("/v1/nodes?model=sdxl&label=tier:silver"))).containsExactly("n1");
    }

    @Test
    @DisplayName("deregistering removes the record and every index entry; a second delete is a 404")
    void shouldLeaveNoTraceOnDeregister() {
        http.put("/v1/nodes/n1", Nodes.spec(80000));
        http.put("/v1/nodes/n2", Nodes.spec(50000));
        assertThat(http.post("/v1/nodes/n1/disconnect", "{\"expectedMs\":60000}").status()).isEqualTo(204);

        Http.Answer deleted = http.delete("/v1/nodes/n1");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.delete("/v1/nodes/n1").status()).isEqualTo(404);
        assertThat(http.get("/v1/nodes/n1").status()).isEqualTo(404);
        RedisCommands<String, String> redis = regional.commands();
        assertThat(redis.exists(R + "node:n1", R + "disc:n1")).isZero();
        for (String key : redis.keys(R + "*")) {
            String type = redis.type(key);
            if (type.equals("zset")) {
                assertThat(redis.zscore(key, "n1")).as(key).isNull();
            } else if (type.equals("set")) {
                assertThat(redis.sismember(key, "n1")).as(key).isFalse();
            }
        }
        assertThat(ids(http.get("/v1/nodes"))).containsExactly("n2");
    }

    @Test
    @DisplayName("matchmaking answers online nodes by model, version, state, memory and label, largest free memory first")
    void shouldMatchFromIndexes() {
        http.put("/v1/nodes/a", Nodes.spec("llama-3-8b", "q4", 81920, 30000, "gold"));
        http.put("/v1/nodes/b", Nodes.spec("llama-3-8b", "q4", 81920, 70000, "gold"));
        http.put("/v1/nodes/c", Nodes.spec("llama-3-8b", "fp16", 81920, 50000, "silver"));
        http.put("/v1/nodes/d", Nodes.spec("llama-3-8b", "q4", 81920, 80000, "gold"));
        http.put("/v1/nodes/e", Nodes.spec("sdxl", "1.0", 24576, 20000, "gold"));
        http.post("/v1/nodes/d/heartbeat", "{\"state\":\"draining\"}");
        http.post("/v1/nodes/a/heartbeat", "{\"state\":\"busy\",\"freeMemoryMb\":60000}");

        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b"))).containsExactly("b", "a", "c");
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&version=q4"))).containsExactly("b", "a");
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&state=idle"))).containsExactly("b", "c");
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&state=draining"))).containsExactly("d");
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&minFreeMemoryMb=55000"))).containsExactly("b", "a");
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&label=tier:silver"))).containsExactly("c");
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&limit=1"))).containsExactly("b");
        assertThat(ids(http.get("/v1/nodes"))).containsExactly("b", "a", "c", "e");
        assertThat(ids(http.get("/v1/nodes?model=no-such-model"))).isEmpty();
    }

    @Test
    @DisplayName("a heartbeat with a valid token from a node the store does not know answers 409 with the re-register directive")
    void shouldAskUnknownNodesToReRegister() {
        http.put("/v1/nodes/n1", Nodes.spec(80000));
        http.put("/v1/nodes/gone", Nodes.spec(80000));
        assertThat(http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}").status()).isEqualTo(200);
        assertThat(http.delete("/v1/nodes/gone").status()).isEqualTo(204);

        regional.flushAll();
        Http.Answer lost = http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}");
        Http.Answer deregistered = http.post("/v1/nodes/gone/heartbeat", "{\"state\":\"idle\"}");
        Http.Answer tokenless = http.post("/v1/nodes/never-seen/heartbeat", "{\"state\":\"idle\"}");

        for (Http.Answer answer : List.of(lost, deregistered)) {
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().get("directive").asText()).isEqualTo("re-register");
            assertThat(answer.json().get("error").asText()).isEqualTo("unknown_node");
        }
        assertThat(tokenless.status()).isEqualTo(401);
        assertThat(regional.commands().exists(R + "node:never-seen")).isZero();
    }

    @Test
    @DisplayName("a heartbeat moves state and free memory, and the indexes follow")
    void shouldApplyHeartbeatState() {
        http.put("/v1/nodes/n1", Nodes.spec(80000));

        Http.Answer answer = http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"busy\",\"freeMemoryMb\":1234}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("directives").isArray()).isTrue();
        assertThat(answer.json().get("ttlMs").asLong()).isEqualTo(15000);
        JsonNode node = http.get("/v1/nodes/n1").json();
        assertThat(node.get("state").asText()).isEqualTo("busy");
        assertThat(node.get("gpu").get("freeMemoryMb").asLong()).isEqualTo(1234);
        assertThat(regional.commands().zscore(R + "model:llama-3-8b", "n1")).isEqualTo(1234.0);
        assertThat(ids(http.get("/v1/nodes?model=llama-3-8b&state=idle"))).isEmpty();
    }

    @Test
    @DisplayName("a batch of heartbeats answers one result per entry, in order")
    void shouldAnswerEachEntryOfABatch() {
        http.put("/v1/nodes/n1", Nodes.spec(80000));
        http.put("/v1/nodes/n2", Nodes.spec(80000));
        http.put("/v1/nodes/ghost", Nodes.spec(80000));
        http.delete("/v1/nodes/ghost");

        Http.Answer answer = http.post("/v1/heartbeats", Nodes.batch(List.of(
                Nodes.beat("n1", "busy").replace("}", ",\"freeMemoryMb\":100}"),
                Nodes.beat("ghost", "idle"),
                Nodes.beat("n2", "draining"))));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("nodeId").asText()).isEqualTo("n1");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(results.get(0).get("intervalMs").asLong()).isEqualTo(5000);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(409);
        assertThat(results.get(1).get("directive").asText()).isEqualTo("re-register");
        assertThat(results.get(2).get("status").asInt()).isEqualTo(200);
        assertThat(http.get("/v1/nodes/n1").json().get("state").asText()).isEqualTo("busy");
        assertThat(http.get("/v1/nodes/n2").json().get("state").asText()).isEqualTo("draining");
    }

    @Test
    @DisplayName("a batch of 1000 heartbeats is applied in one request")
    void shouldTakeAFullBatch() {
        List<String> beats = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            http.put("/v1/nodes/b" + i, Nodes.spec(80000));
            beats.add(Nodes.beat("b" + i, "busy"));
        }

        Http.Answer answer = http.post("/v1/heartbeats", Nodes.batch(beats));

        assertThat(answer.status()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        answer.json().get("results").forEach(r -> statuses.add(r.get("status").asInt()));
        assertThat(statuses).hasSize(1000).containsOnly(200);
        assertThat(ids(http.get("/v1/nodes?state=busy&limit=1000"))).hasSize(1000);
    }

    @Test
    @DisplayName("a batch longer than one heartbeat script keeps its results in order across the scripts")
    void shouldKeepTheOrderAcrossScripts() {
        int size = NodeRegistry.SCRIPT_BATCH * 2 + 50;
        Set<Integer> unknown = Set.of(0, NodeRegistry.SCRIPT_BATCH - 1, NodeRegistry.SCRIPT_BATCH, size - 1);
        List<String> beats = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            http.put("/v1/nodes/o" + i, Nodes.spec(80000));
            beats.add(Nodes.beat("o" + i, "busy"));
        }
        unknown.forEach(i -> http.delete("/v1/nodes/o" + i));

        Http.Answer answer = http.post("/v1/heartbeats", Nodes.batch(beats));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results).hasSize(size);
        for (int i = 0; i < size; i++) {
            assertThat(results.get(i).get("nodeId").asText()).isEqualTo("o" + i);
            assertThat(results.get(i).get("status").asInt()).as("entry " + i).isEqualTo(unknown.contains(i) ? 409 : 200);
        }
    }

    @Test
    @DisplayName("a query whose matches sit deep in the index finds them: pages grow until the limit is met")
    void shouldFindMatchesBeyondTheFirstPage() {
        // 300 nodes; only the three with the least free memory carry the label, so they come last.
        IntStream.range(0, 300).forEach(i -> http.put("/v1/nodes/d" + i,
                Nodes.spec("llama-3-8b", "q4", 81920, 1000 + i, i < 3 ? "rare" : "common")));

        List<String> found = ids(http.get("/v1/nodes?model=llama-3-8b&label=tier:rare&limit=3"));

        assertThat(found).containsExactly("d2", "d1", "d0");
    }

    @Test
    @DisplayName("large node counts stay answerable: 2,000 nodes, a query with a limit returns the top of the index")
    void shouldQueryAManyNodeIndex() {
        IntStream.range(0, 2000).forEach(i -> http.put("/v1/nodes/m" + i, Nodes.spec(i)));

        List<String> top = ids(http.get("/v1/nodes?model=llama-3-8b&limit=3"));

        assertThat(top).containsExactly("m1999", "m1998", "m1997");
    }

    static List<String> ids(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().get("nodes").forEach(n -> ids.add(n.get("nodeId").asText()));
        assertThat(answer.json().get("count").asInt()).isEqualTo(ids.size());
        return ids;
    }
}

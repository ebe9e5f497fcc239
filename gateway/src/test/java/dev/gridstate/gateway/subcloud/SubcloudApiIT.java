package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.state.Keys;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Admins define Subclouds; clients read them with each member's live status. Ids are unique per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubcloudApiIT {

    private final Keys keys = new Keys(TestRegion.NAME);
    private TestRegion region;
    private RedisCommands<String, String> redis;
    private Http http;
    private Http admin;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
        redis = region.regional().commands();
        http = region.http();
        admin = http.asAdmin();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("a first put answers 201, a replacement 200, each with a higher version; admins read the definition back")
    void shouldTellCreatedFromReplacedWithGrowingVersions() {
        Http.Answer first = admin.put("/v1/admin/subclouds/v-1", SubcloudJson.of("Gold", List.of("n1"), List.of("c1")));
        Http.Answer second = admin.put("/v1/admin/subclouds/v-1", SubcloudJson.of("Gold EU", List.of("n2", "n1"), List.of("c2")));
        JsonNode stored = admin.get("/v1/admin/subclouds/v-1").json();

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(first.json().get("version").asLong()).isEqualTo(1);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("created").asBoolean()).isFalse();
        assertThat(second.json().get("version").asLong()).isEqualTo(2);
        assertThat(stored.get("name").asText()).isEqualTo("Gold EU");
        assertThat(texts(stored.get("members"))).containsExactly("n2", "n1");
        assertThat(texts(stored.get("clients"))).containsExactly("c2");
        assertThat(stored.get("version").asLong()).isEqualTo(2);
        assertThat(redis.hget(keys.subcloud("v-1"), "version")).isEqualTo("2");
    }

    @Test
    @DisplayName("every member is shown in order with status, state and routable, read live from the registry")
    void shouldShowEachMemberWithItsLiveStatus() {
        for (String id : List.of("s-idle", "s-drain", "s-paused", "s-off")) {
            assertThat(http.put("/v1/nodes/" + id, Nodes.spec(80000)).status()).isEqualTo(201);
        }
        assertThat(http.post("/v1/nodes/s-drain/heartbeat", "{\"state\":\"draining\"}").status()).isEqualTo(200);
        redis.set(keys.flag("s-paused", "pause"), "{}", SetArgs.Builder.px(60_000));
        redis.zadd(keys.online(), 1, "s-off");
        admin.put("/v1/admin/subclouds/s-1", SubcloudJson.of("Mixed",
                List.of("s-idle", "s-drain", "s-paused", "s-off", "s-ghost"), List.of("c-s")));

        Http.Answer answer = http.get("/v1/subclouds/s-1");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("id").asText()).isEqualTo("s-1");
        assertThat(body.get("name").asText()).isEqualTo("Mixed");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.has("clients")).as("a client is not told who else may use a Subcloud").isFalse();
        assertThat(members(body)).containsExactly(
                "s-idle online idle true",
                "s-drain online draining false",
                "s-paused online idle false",
                "s-off offline idle false",
                "s-ghost unknown null false");
    }

    @Test
    @DisplayName("a client lists every Subcloud it may use; a replacement moves the id out of clients it no longer names")
    void shouldKeepTheClientListingInStepWithDefinitions() {
        admin.put("/v1/admin/subclouds/l-a", SubcloudJson.of("A", List.of("l-n1"), List.of("l-c1", "l-c2")));
        admin.put("/v1/admin/subclouds/l-b", SubcloudJson.of("B", List.of("l-n2"), List.of("l-c1")));

        assertThat(ids(http.get("/v1/subclouds?client=l-c1"))).containsExactly("l-a", "l-b");
        assertThat(ids(http.get("/v1/subclouds?client=l-c2"))).containsExactly("l-a");
        Http.Answer none = http.get("/v1/subclouds?client=l-c3");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("count").asInt()).isZero();
        assertThat(none.json().get("client").asText()).isEqualTo("l-c3");

        admin.put("/v1/admin/subclouds/l-a", SubcloudJson.of("A", List.of("l-n1"), List.of("l-c1")));
        admin.delete("/v1/admin/subclouds/l-b");

        Http.Answer c1 = http.get("/v1/subclouds?client=l-c1");
        assertThat(ids(c1)).containsExactly("l-a");
        assertThat(c1.json().get("count").asInt()).isEqualTo(1);
        assertThat(members(c1.json().get("subclouds").get(0))).containsExactly("l-n1 unknown null false");
        assertThat(ids(http.get("/v1/subclouds?client=l-c2"))).isEmpty();
        assertThat(redis.exists(keys.clientSubclouds("l-c2"))).isZero();
        assertThat(redis.smembers(keys.clientSubclouds("l-c1"))).containsExactly("l-a");
        assertThat(redis.sismember(keys.subclouds(), "l-a")).isTrue();
        assertThat(redis.sismember(keys.subclouds(), "l-b")).isFalse();
    }

    @Test
    @DisplayName("a delete answers 204 once, then 404 everywhere; putting the id again continues its version")
    void shouldDeleteOnceAndKeepVersionsGrowing() {
        admin.put("/v1/admin/subclouds/d-1", SubcloudJson.of("D", List.of("d-n1"), List.of("d-c1")));
        admin.put("/v1/admin/subclouds/d-1", SubcloudJson.of("D", List.of("d-n1"), List.of("d-c1")));

        assertThat(admin.delete("/v1/admin/subclouds/d-1").status()).isEqualTo(204);

        Http.Answer gone = http.get("/v1/subclouds/d-1");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asText()).isEqualTo("not_found");
        assertThat(gone.json().get("message").asText()).isEqualTo("subcloud d-1 does not exist");
        assertThat(admin.get("/v1/admin/subclouds/d-1").status()).isEqualTo(404);
        assertThat(admin.delete("/v1/admin/subclouds/d-1").status()).isEqualTo(404);
        assertThat(ids(http.get("/v1/subclouds?client=d-c1"))).isEmpty();
        Http.Answer again = admin.put("/v1/admin/subclouds/d-1", SubcloudJson.of("D", List.of(), List.of()));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("version").asLong()).isEqualTo(4);
        assertThat(http.get("/v1/subclouds/d-1").json().get("members")).isEmpty();
    }

    @Test
    @DisplayName("answers carry ETag and Cache-Control; a matching If-None-Match gets 304; a member's new state changes the tag")
    void shouldRevalidateWithETags() {
        http.put("/v1/nodes/e-n1", Nodes.spec(80000));
        admin.put("/v1/admin/subclouds/e-1", SubcloudJson.of("E", List.of("e-n1"), List.of("e-c1")));
        Http.Answer first = http.get("/v1/subclouds/e-1");
        Http.Answer firstList = http.get("/v1/subclouds?client=e-c1");
        String etag = header(first, "ETag");
        String listTag = header(firstList, "ETag");

        Http.Answer unchanged = conditional("/v1/subclouds/e-1", etag);
        Http.Answer unchangedList = conditional("/v1/subclouds?client=e-c1", listTag);
        assertThat(http.post("/v1/nodes/e-n1/heartbeat", "{\"state\":\"busy\"}").status()).isEqualTo(200);
        Http.Answer changed = conditional("/v1/subclouds/e-1", etag);
        Http.Answer changedList = conditional("/v1/subclouds?client=e-c1", listTag);

        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(header(first, "Cache-Control")).isEqualTo("max-age=5");
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(header(unchanged, "ETag")).isEqualTo(etag);
        assertThat(header(unchanged, "Cache-Control")).isEqualTo("max-age=5");
        assertThat(unchangedList.status()).isEqualTo(304);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(header(changed, "ETag")).isNotEqualTo(etag);
        assertThat(members(changed.json())).containsExactly("e-n1 online busy true");
        assertThat(changedList.status()).isEqualTo(200);
        assertThat(header(changedList, "ETag")).isNotEqualTo(listTag);
        assertThat(conditional("/v1/subclouds/e-1", header(changed, "ETag")).status()).isEqualTo(304);
    }

    @Test
    @DisplayName("a Subcloud of the largest size, 10,000 members and 1,000 clients, is stored and read with every status")
    void shouldTakeTheLargestSubcloud() {
        List<String> members = IntStream.range(0, SubcloudRequests.MAX_MEMBERS).mapToObj(i -> "big-n" + i).toList();
        List<String> clients = IntStream.range(0, SubcloudRequests.MAX_CLIENTS).mapToObj(i -> "big-c" + i).toList();
        http.put("/v1/nodes/big-n9999", Nodes.spec(80000));

        Http.Answer put = admin.put("/v1/admin/subclouds/big", SubcloudJson.of("Big", members, clients));
        Http.Answer read = http.get("/v1/subclouds/big");

        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(read.status()).isEqualTo(200);
        List<String> shown = members(read.json());
        assertThat(shown).hasSize(SubcloudRequests.MAX_MEMBERS);
        assertThat(shown.get(0)).isEqualTo("big-n0 unknown null false");
        assertThat(shown.get(9999)).isEqualTo("big-n9999 online idle true");
        assertThat(ids(http.get("/v1/subclouds?client=big-c999"))).containsExactly("big");
    }

    @Test
    @DisplayName("admin Subcloud calls without the admin token are refused and change nothing")
    void shouldRefuseAdminCallsWithoutTheToken() {
        admin.put("/v1/admin/subclouds/a-1", SubcloudJson.of("Kept", List.of(), List.of("a-c1")));

        Http.Answer put = http.put("/v1/admin/subclouds/a-1", SubcloudJson.of("Taken", List.of(), List.of("a-c2")));
        Http.Answer delete = http.withBearer("wrong").delete("/v1/admin/subclouds/a-1");

        assertThat(put.status()).isEqualTo(401);
        assertThat(delete.status()).isEqualTo(401);
        assertThat(http.get("/v1/subclouds/a-1").json().get("name").asText()).isEqualTo("Kept");
        assertThat(ids(http.get("/v1/subclouds?client=a-c2"))).isEmpty();
    }

    private Http.Answer conditional(String path, String etag) {
        return http.send(http.request(path).header("If-None-Match", etag).GET());
    }

    static String header(Http.Answer answer, String name) {
        return answer.raw().headers().firstValue(name).orElseThrow(() ->
                new AssertionError("no " + name + " header in " + answer.status() + " " + answer.raw().headers().map()));
    }

    static List<String> members(JsonNode subcloud) {
        List<String> out = new ArrayList<>();
        subcloud.get("members").forEach(m -> out.add(m.get("nodeId").asText() + " " + m.get("status").asText() + " "
                + (m.get("state").isNull() ? "null" : m.get("state").asText()) + " " + m.get("routable").asBoolean()));
        return out;
    }

    private static List<String> ids(Http.Answer listing) {
        assertThat(listing.status()).as(listing.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        listing.json().get("subclouds").forEach(s -> out.add(s.get("id").asText()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

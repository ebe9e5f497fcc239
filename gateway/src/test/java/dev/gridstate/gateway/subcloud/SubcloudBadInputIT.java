package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Refusals;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every kind of bad Subcloud input answers 400 with error, message and field, and leaves Redis byte-for-byte as it was. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubcloudBadInputIT {

    private static final String SC = "/v1/admin/subclouds/sc-1";

    private TestRegion region;
    private Http admin;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
        admin = region.http().asAdmin();
        assertThat(admin.put(SC, SubcloudJson.of("Gold", List.of("n1"), List.of("client-a"))).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        region.close();
    }

    static Stream<Arguments> badRequests() {
        String good = SubcloudJson.of("Gold", List.of("n1", "n2"), List.of("client-a", "client-b"));
        List<String> tooManyMembers = IntStream.rangeClosed(0, SubcloudRequests.MAX_MEMBERS).mapToObj(i -> "n" + i).toList();
        List<String> tooManyClients = IntStream.rangeClosed(0, SubcloudRequests.MAX_CLIENTS).mapToObj(i -> "c" + i).toList();
        return Stream.of(
                arguments("PUT", SC, "{\"name\":", "malformed_json", null),
                arguments("PUT", SC, "", "missing_body", null),
                arguments("PUT", SC, "[]", "invalid_field", "$"),
                arguments("PUT", "/v1/admin/subclouds/sc$1", good, "invalid_subcloud_id", "subcloudId"),
                arguments("PUT", "/v1/admin/subclouds/" + "s".repeat(129), good, "invalid_subcloud_id", "subcloudId"),
                arguments("PUT", SC, good.replace("\"name\":\"Gold\",", ""), "missing_field", "name"),
                arguments("PUT", SC, good.replace("\"Gold\"", "42"), "invalid_field", "name"),
                arguments("PUT", SC, good.replace("\"Gold\"", "\"\""), "invalid_field", "name"),
                arguments("PUT", SC, good.replace("Gold", "Gold\\nEU"), "invalid_field", "name"),
                arguments("PUT", SC, good.replace("Gold", "g".repeat(257)), "invalid_field", "name"),
                arguments("PUT", SC, "{\"name\":\"Gold\",\"clients\":[]}", "missing_field", "members"),
                arguments("PUT", SC, good.replace("[\"n1\",\"n2\"]", "\"n1\""), "invalid_field", "members"),
                arguments("PUT", SC, good.replace("\"n2\"", "7"), "invalid_field", "members[1]"),
                arguments("PUT", SC, good.replace("\"n2\"", "\"n 2\""), "invalid_field", "members[1]"),
                arguments("PUT", SC, good.replace("\"n2\"", "\"" + "n".repeat(129) + "\""), "invalid_field", "members[1]"),
                arguments("PUT", SC, good.replace("\"n2\"", "\"n1\""), "invalid_field", "members[1]"),
                arguments("PUT", SC, SubcloudJson.of("Gold", tooManyMembers, List.of()), "invalid_field", "members"),
                arguments("PUT", SC, "{\"name\":\"Gold\",\"members\":[]}", "missing_field", "clients"),
                arguments("PUT", SC, good.replace("[\"client-a\",\"client-b\"]", "{}"), "invalid_field", "clients"),
                arguments("PUT", SC, good.replace("\"client-b\"", "\"client/b\""), "invalid_field", "clients[1]"),
                arguments("PUT", SC, good.replace("\"client-b\"", "null"), "invalid_field", "clients[1]"),
                arguments("PUT", SC, good.replace("\"client-b\"", "\"client-a\""), "invalid_field", "clients[1]"),
                arguments("PUT", SC, SubcloudJson.of("Gold", List.of(), tooManyClients), "invalid_field", "clients"),
                arguments("DELETE", "/v1/admin/subclouds/sc$1", null, "invalid_subcloud_id", "subcloudId"),
                arguments("GET", "/v1/admin/subclouds/sc$1", null, "invalid_subcloud_id", "subcloudId"),
                arguments("GET", "/v1/subclouds/sc$1", null, "invalid_subcloud_id", "subcloudId"),
                arguments("GET", "/v1/subclouds", null, "missing_field", "client"),
                arguments("GET", "/v1/subclouds?client=", null, "invalid_field", "client"),
                arguments("GET", "/v1/subclouds?client=a%20b", null, "invalid_field", "client"),
                arguments("GET", "/v1/subclouds?client=client-a&limit=5", null, "invalid_field", "limit"));
    }

    @ParameterizedTest(name = "{0} {1} → 400 {3} {4}")
    @MethodSource("badRequests")
    @DisplayName("bad input answers 400 with error, message and field, and changes nothing")
    void shouldRefuseAndChangeNothing(String method, String path, String body, String error, String field) {
        Map<String, String> before = region.snapshot();

        Http.Answer answer = admin.send(admin.request(path.replace("$", "%24"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));

        Refusals.assertClearError(answer, 400, error, field);
        assertThat(region.snapshot()).isEqualTo(before);
        assertThat(admin.get("/v1/subclouds/sc-1").json().get("name").asText()).isEqualTo("Gold");
    }

}

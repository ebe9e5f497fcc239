package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubcloudRequestsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static JsonBody body(String json) {
        return JsonBody.parse(JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadADefinitionKeepingTheOrderOfMembersAndClients() {
        Definition d = SubcloudRequests.definition(body(SubcloudJson.of("Gold EU", List.of("n2", "n1"), List.of("c-b", "c-a"))));

        assertThat(d).isEqualTo(new Definition("Gold EU", List.of("n2", "n1"), List.of("c-b", "c-a")));
    }

    @Test
    void shouldRefuseARepeatedMemberNamingBothPlaces() {
        assertThatThrownBy(() -> SubcloudRequests.definition(body(SubcloudJson.of("x", List.of("n1", "n2", "n1"), List.of()))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("members[2]"))
                .hasMessage("members[2] repeats members[0] (\"n1\")");
    }

    @Test
    void shouldRequireClientsEvenWhenEmptyIsMeant() {
        assertThatThrownBy(() -> SubcloudRequests.definition(body("{\"name\":\"x\",\"members\":[]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("missing_field"))
                .hasMessage("clients is required");
    }

    @Test
    void shouldRefuseUnknownQueryParametersAndAMissingClient() {
        assertThatThrownBy(() -> SubcloudRequests.client(Map.of("client", "a", "limit", "5")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> SubcloudRequests.client(Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("missing_field"));
        assertThat(SubcloudRequests.client(Map.of("client", "client-a"))).isEqualTo("client-a");
    }

    @Test
    void shouldRefuseASubcloudIdWithSpacesAsInvalidSubcloudId() {
        assertThatThrownBy(() -> SubcloudRequests.subcloudId("sc 1"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_subcloud_id");
                    assertThat(e.field()).isEqualTo("subcloudId");
                });
    }
}

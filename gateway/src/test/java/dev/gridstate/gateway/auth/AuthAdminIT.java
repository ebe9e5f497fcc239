package dev.gridstate.gateway.auth;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthAdminIT {

    private TestRegion region;
    private Http anonymous;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
        anonymous = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("the right admin token passes through to the admin route")
    void shouldLetTheAdminTokenThrough() {
        Http.Answer answer = anonymous.asAdmin().get("/v1/admin/whoami");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("admin").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/admin/whoami", "/v1/admin/nope", "/v1/admin/flags/n1/pause", "/v1/admin", "/v1/admin/"})
    @DisplayName("without a token every admin path is 401 with the JSON error and a Bearer challenge, existing or not")
    void shouldRefuseEveryAdminPathWithoutAToken(String path) {
        Http.Answer answer = anonymous.get(path);

        assertUnauthorized(answer);
        assertThat(answer.json().get("message").asText()).contains("Authorization: Bearer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/admin/whoami", "/v1/admin/nope"})
    void shouldRefuseAWrongToken(String path) {
        Http.Answer answer = anonymous.withBearer("test-admin-tokeN").get(path);

        assertUnauthorized(answer);
        assertThat(answer.json().get("message").asText()).isEqualTo("the admin token is not valid");
    }

    @Test
    void shouldRefuseOtherMethodsAndSchemesLikeAMissingToken() {
        assertUnauthorized(anonymous.post("/v1/admin/whoami", "{}"));
        assertUnauthorized(anonymous.delete("/v1/admin/nodes/n1"));
        assertUnauthorized(anonymous.send(anonymous.request("/v1/admin/whoami")
                .header("Authorization", "Basic " + "admin:test-admin-token").GET()));
        assertUnauthorized(anonymous.send(anonymous.request("/v1/admin/whoami")
                .header("Authorization", "Bearer ").GET()));
    }

    @Test
    void shouldAcceptTheSchemeInAnyCase() {
        Http.Answer answer = anonymous.send(anonymous.request("/v1/admin/whoami")
                .header("Authorization", "bearer test-admin-token").GET());

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    @DisplayName("with the token, a path that does not exist is a plain 404")
    void shouldAnswer404ForAnUnknownAdminPathOnlyToTheAdmin() {
        assertThat(anonymous.asAdmin().get("/v1/admin/nope").status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1//admin/whoami", "/v1/admin//whoami", "/v1/./admin/whoami", "/v1/x/../admin/whoami",
            "/v1/%61dmin/whoami", "/v1/admin/%77hoami", "/v1/admin/whoami/", "/v1/admin/whoami;x=1", "/V1/ADMIN/whoami"})
    @DisplayName("no spelling of an admin path reaches an admin route without the token")
    void shouldNotBeBypassedBySpellingsOfTheSamePath(String path) {
        Http.Answer answer = anonymous.send(HttpRequest.newBuilder(region.gateway(0).uri().resolve(path)).GET());

        assertThat(answer.status()).as(path + " answered " + answer.body()).isIn(401, 404, 400);
        assertThat(answer.body()).doesNotContain("\"admin\":true");
    }

    @Test
    void shouldLeaveTheNodeApiAlone() {
        assertThat(anonymous.get("/v1/nodes/ghost").status()).isEqualTo(404);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
    }

    private static void assertUnauthorized(Http.Answer answer) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(answer.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(answer.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(answer.body()).doesNotContain("whoami").doesNotContain("not_found");
    }
}

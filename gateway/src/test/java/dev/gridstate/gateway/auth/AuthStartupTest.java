package dev.gridstate.gateway.auth;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway refuses to start without its two secrets, unless the dev environment supplies throwaway ones. */
class AuthStartupTest {

    /** These contexts talk to no central and no broker of their own: no change log. */
    static final String NO_REPLICATION = "gateway.replication.enabled";
    private static final String BOTH_NAMED = "gateway.admin.token (GATEWAY_ADMIN_TOKEN) and gateway.node-token-secret "
            + "(GATEWAY_NODE_TOKEN_SECRET) must both be set";

    @Test
    @DisplayName("without either secret the gateway does not start, and the error names both and their env forms")
    void shouldRefuseToStartWithoutEitherSecret() {
        // set blank rather than left out, so an exported GATEWAY_ADMIN_TOKEN cannot make the test pass
        Map<String, Object> props = props("", "");

        assertThatThrownBy(() -> ApplicationContext.run(props))
                .rootCause()
                .hasMessageStartingWith(BOTH_NAMED + ", but neither was;")
                .hasMessageContaining("MICRONAUT_ENVIRONMENTS=dev");
    }

    @Test
    void shouldNameTheOneSecretThatIsMissing() {
        assertThatThrownBy(() -> ApplicationContext.run(props("some-admin-token", "")))
                .rootCause()
                .hasMessageStartingWith(BOTH_NAMED + ", but gateway.node-token-secret was not;");
        assertThatThrownBy(() -> ApplicationContext.run(props("  ", "some-secret")))
                .rootCause()
                .hasMessageStartingWith(BOTH_NAMED + ", but gateway.admin.token was not;");
    }

    @Test
    void shouldRefuseAnAdminTokenWithATrailingNewlineWithoutEchoingIt() {
        assertThatThrownBy(() -> ApplicationContext.run(props("s3cret-admin-token\n", "some-secret")))
                .rootCause()
                .hasMessage("gateway.admin.token (GATEWAY_ADMIN_TOKEN) must not contain whitespace, but it does "
                        + "(a trailing newline from a secret file?)")
                .message().doesNotContain("s3cret");
    }

    @Test
    @DisplayName("with the dev environment the gateway starts on application-dev.yml's throwaway secrets")
    void shouldStartInTheDevEnvironmentWithoutSecretsBeingSet() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(NO_REPLICATION, false), "dev")) {

            assertThat(context.isRunning()).isTrue();
            assertThat(context.getBean(Credentials.class).adminToken().matches("dev-admin-token")).isTrue();
            assertThat(context.getBean(NodeTokens.class).issue("n1")).isNotBlank();
        }
    }

    @Test
    void shouldStartWithBothSecretsSet() {
        try (ApplicationContext context = ApplicationContext.run(props("an-admin-token", "a-node-secret"))) {

            assertThat(context.getBean(Credentials.class).adminToken().matches("an-admin-token")).isTrue();
            assertThat(context.getBean(Credentials.class).adminToken().matches("an-admin-tokeN")).isFalse();
        }
    }

    private static Map<String, Object> props(String adminToken, String nodeTokenSecret) {
        Map<String, Object> props = new HashMap<>();
        props.put(Credentials.ADMIN_TOKEN, adminToken);
        props.put(Credentials.NODE_TOKEN_SECRET, nodeTokenSecret);
        props.put(NO_REPLICATION, false);
        return props;
    }
}

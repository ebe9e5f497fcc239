package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.state.Keys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway.subclouds settings reach the answers and the near cache. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubcloudSettingsIT {

    private TestRegion region;
    private Http http;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of("gateway.subclouds.max-age", "7s", "gateway.subclouds.cache-ttl", "300ms",
                "gateway.subclouds.cache-max-entries", "50"));
        http = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("Cache-Control carries the configured max-age")
    void shouldAnswerWithTheConfiguredMaxAge() {
        http.asAdmin().put("/v1/admin/subclouds/t-1", SubcloudJson.of("T", List.of(), List.of("t-c1")));

        assertThat(SubcloudApiIT.header(http.get("/v1/subclouds/t-1"), "Cache-Control")).isEqualTo("max-age=7");
        assertThat(SubcloudApiIT.header(http.get("/v1/subclouds?client=t-c1"), "Cache-Control")).isEqualTo("max-age=7");
    }

    @Test
    @DisplayName("a change that was never published is seen once the cached copy outlives the configured TTL")
    void shouldForgetACachedDefinitionAfterItsTtl() {
        http.asAdmin().put("/v1/admin/subclouds/t-2", SubcloudJson.of("Old", List.of(), List.of()));
        assertThat(http.get("/v1/subclouds/t-2").json().get("name").asText()).isEqualTo("Old");

        region.regional().commands().hset(new Keys(TestRegion.NAME).subcloud("t-2"), "definition",
                SubcloudJson.of("New", List.of(), List.of()));

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(http.get("/v1/subclouds/t-2").json().get("name").asText()).isEqualTo("New"));
        assertThat(region.gateway(0).context().getBean(SubcloudSettings.class))
                .isEqualTo(new SubcloudSettings(50, Duration.ofMillis(300), Duration.ofSeconds(7)));
    }
}

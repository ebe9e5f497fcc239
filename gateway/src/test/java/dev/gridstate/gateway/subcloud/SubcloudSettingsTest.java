package dev.gridstate.gateway.subcloud;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubcloudSettingsTest {

    @Test
    void shouldRenderMaxAgeInSeconds() {
        SubcloudSettings settings = new SubcloudSettings(10_000, Duration.ofSeconds(30), Duration.ofSeconds(5));

        assertThat(settings.cacheControl()).isEqualTo("max-age=5");
    }

    @Test
    void shouldRefuseAMaxAgeThatIsNotWholeSeconds() {
        assertThatThrownBy(() -> new SubcloudSettings(10_000, Duration.ofSeconds(30), Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.subclouds.max-age must be zero or a whole number of seconds, but was PT1.5S");
    }

    @Test
    void shouldRefuseAZeroCacheTtl() {
        assertThatThrownBy(() -> new SubcloudSettings(10_000, Duration.ZERO, Duration.ofSeconds(5)))
                .hasMessage("gateway.subclouds.cache-ttl must be positive, but was PT0S");
    }

    @Test
    void shouldRefuseAnEmptyCache() {
        assertThatThrownBy(() -> new SubcloudSettings(0, Duration.ofSeconds(30), Duration.ofSeconds(5)))
                .hasMessage("gateway.subclouds.cache-max-entries must be at least 1, but was 0");
    }
}

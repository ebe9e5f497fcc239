package dev.gridstate.gateway.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrySettingsTest {

    @Test
    void shouldRefuseATtlNoLongerThanTheInterval() {
        assertThatThrownBy(() -> new RegistrySettings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(250),
                1000, Duration.ofHours(24), 1000, 10000, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.registry.heartbeat-ttl must be longer than heartbeat-interval (PT5S), but was PT5S");
    }

    @Test
    void shouldRefuseAZeroSweepBatch() {
        assertThatThrownBy(() -> new RegistrySettings(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMillis(250),
                0, Duration.ofHours(24), 1000, 10000, 4))
                .hasMessage("gateway.registry.sweep-batch must be at least 1, but was 0");
    }
}

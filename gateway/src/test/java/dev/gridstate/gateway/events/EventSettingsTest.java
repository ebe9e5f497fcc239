package dev.gridstate.gateway.events;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventSettingsTest {

    @Test
    void shouldRefuseAZeroKeepAlive() {
        assertThatThrownBy(() -> new EventSettings(Duration.ZERO, 1000, 10000, 64, Duration.ofMinutes(2), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.events.keep-alive must be positive, but was PT0S");
    }

    @Test
    void shouldRefuseNoSubscriberSlots() {
        assertThatThrownBy(() -> new EventSettings(Duration.ofSeconds(15), 0, 10000, 64, Duration.ofMinutes(2), Duration.ofSeconds(5)))
                .hasMessage("gateway.events.max-subscribers must be at least 1, but was 0");
    }

    @Test
    void shouldRefuseACoalesceThresholdAboveTheBufferSize() {
        assertThatThrownBy(() -> new EventSettings(Duration.ofSeconds(15), 1000, 100, 101, Duration.ofMinutes(2), Duration.ofSeconds(5)))
                .hasMessage("gateway.events.coalesce-after must not exceed buffer-size (100), but was 101");
    }

    @Test
    void shouldRefuseANegativeStallTimeout() {
        assertThatThrownBy(() -> new EventSettings(Duration.ofSeconds(15), 1000, 100, 10, Duration.ofSeconds(-1), Duration.ofSeconds(5)))
                .hasMessage("gateway.events.stall-timeout must be positive, but was PT-1S");
    }
}

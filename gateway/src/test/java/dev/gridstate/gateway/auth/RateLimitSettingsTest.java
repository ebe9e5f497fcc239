package dev.gridstate.gateway.auth;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitSettingsTest {

    @Test
    void shouldDefaultToTenBeatsPerSecondPerNodeForgottenAfterFiveIdleMinutes() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(AuthStartupTest.NO_REPLICATION, false), "dev")) {

            assertThat(context.getBean(RateLimitSettings.class))
                    .isEqualTo(new RateLimitSettings(10, Duration.ofSeconds(1), Duration.ofMinutes(5), 200_000));
            assertThat(context.getBean(HeartbeatRateLimiter.class).tryAcquire("n1")).isTrue();
        }
    }

    @Test
    void shouldTakeTheSettingsFromConfiguration() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(AuthStartupTest.NO_REPLICATION, false,
                "gateway.rate-limit.limit-for-period", 3, "gateway.rate-limit.limit-refresh-period", "2s"), "dev")) {

            assertThat(context.getBean(RateLimitSettings.class).limitForPeriod()).isEqualTo(3);
            assertThat(context.getBean(HeartbeatRateLimiter.class).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void shouldRefuseAZeroLimit() {
        assertThatThrownBy(() -> new RateLimitSettings(0, Duration.ofSeconds(1), Duration.ofMinutes(5), 200_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gateway.rate-limit.limit-for-period must be at least 1, but was 0");
    }

    @Test
    void shouldRefuseARefreshPeriodBelowOneMillisecond() {
        assertThatThrownBy(() -> new RateLimitSettings(10, Duration.ofNanos(500), Duration.ofMinutes(5), 200_000))
                .hasMessage("gateway.rate-limit.limit-refresh-period must be at least 1ms, but was PT0.0000005S");
    }

    @Test
    void shouldRefuseAnIdleExpiryNoLongerThanThePeriod() {
        assertThatThrownBy(() -> new RateLimitSettings(10, Duration.ofSeconds(5), Duration.ofSeconds(5), 200_000))
                .hasMessage("gateway.rate-limit.idle-expiry must be longer than limit-refresh-period (PT5S), but was PT5S");
    }

    @Test
    void shouldRefuseAZeroMaximum() {
        assertThatThrownBy(() -> new RateLimitSettings(10, Duration.ofSeconds(1), Duration.ofMinutes(5), 0))
                .hasMessage("gateway.rate-limit.max-nodes must be at least 1, but was 0");
    }

    @Test
    void shouldRefuseToStartOnABadSetting() {
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("gateway.rate-limit.limit-for-period", 0,
                AuthStartupTest.NO_REPLICATION, false), "dev"))
                .rootCause()
                .hasMessage("gateway.rate-limit.limit-for-period must be at least 1, but was 0");
    }
}

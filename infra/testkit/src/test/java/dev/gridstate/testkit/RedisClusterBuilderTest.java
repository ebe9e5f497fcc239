package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisClusterBuilderTest {

    @Test
    @DisplayName("a node timeout under 1 ms is refused, naming the value")
    void shouldRefuseNodeTimeoutUnderOneMillisecond() {
        assertThatThrownBy(() -> RedisCluster.builder().nodeTimeout(Duration.ofNanos(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeTimeout must be a whole number of milliseconds, at least 1, but was PT0.0000005S");
    }

    @Test
    @DisplayName("a node timeout with a fraction of a millisecond is refused rather than rounded")
    void shouldRefuseNodeTimeoutWithAFractionOfAMillisecond() {
        assertThatThrownBy(() -> RedisCluster.builder().nodeTimeout(Duration.ofNanos(1_500_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but was PT0.0015S");
    }

    @Test
    @DisplayName("an await timeout that is not positive is refused, naming the value")
    void shouldRefuseAwaitTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> RedisCluster.builder().awaitTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("awaitTimeout must be positive, but was PT0S");
    }
}

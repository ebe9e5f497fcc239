package dev.gridstate.gateway.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreSettingsTest {

    static StoreSettings settings(Duration window, Duration regionalTimeout) {
        return new StoreSettings(regionalTimeout, Duration.ofMillis(8), Duration.ofMillis(250), Duration.ofMillis(100), 64,
                50, 80, window, 20, Duration.ofSeconds(1), 3, Duration.ofMillis(100), Duration.ofMillis(250));
    }

    @Test
    void aBigCallGetsTimeInProportionToItsKeys() {
        StoreSettings s = settings(Duration.ofSeconds(1), Duration.ofMillis(50));

        assertThat(s.allowance(1)).isEqualTo(1.0);
        assertThat(s.allowance(64)).isEqualTo(1.0);
        assertThat(s.allowance(1001)).isEqualTo(1001 / 64.0);
    }

    @Test
    void settingsTheBreakersCannotRunWithAreRefusedByName() {
        assertThatThrownBy(() -> settings(Duration.ofMillis(1500), Duration.ofMillis(50)).check())
                .hasMessageContaining("gateway.store.window");
        assertThatThrownBy(() -> settings(Duration.ofMillis(500), Duration.ofMillis(50)).check())
                .hasMessageContaining("gateway.store.window");
        assertThatThrownBy(() -> settings(Duration.ofSeconds(2), Duration.ZERO).check())
                .hasMessageContaining("must be positive");
        settings(Duration.ofSeconds(2), Duration.ofMillis(50)).check();
    }

    @Test
    void onlyFailuresOfTheRedisItselfSendACallElsewhere() {
        assertThat(StateStore.unavailable(new TimeoutException())).isTrue();
        assertThat(StateStore.unavailable(new RedisCommandTimeoutException("timed out"))).isTrue();
        assertThat(StateStore.unavailable(new RedisConnectionException("refused"))).isTrue();
        assertThat(StateStore.unavailable(new RedisException("Currently not connected. Commands are rejected."))).isTrue();
        assertThat(StateStore.unavailable(new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory")))
                .isTrue();
        assertThat(StateStore.unavailable(new RedisCommandExecutionException("BUSY Redis is busy running a script"))).isTrue();

        assertThat(StateStore.unavailable(new RedisCommandExecutionException("ERR user_script:12: attempt to compare nil")))
                .as("a script's own error would fail on central too").isFalse();
        assertThat(StateStore.unavailable(new IllegalStateException("a bug"))).isFalse();
        assertThat(StateStore.refused(new RedisException("Currently not connected. Commands are rejected."))).isTrue();
        assertThat(StateStore.refused(new RedisConnectionException("refused"))).isTrue();
        assertThat(StateStore.refused(new RedisCommandExecutionException("NOREGION the regional Redis does not hold it"))).isTrue();
        assertThat(StateStore.refused(new RedisCommandTimeoutException("timed out")))
                .as("a write that timed out may still be made: not repeated on central").isFalse();
        assertThat(StateStore.refused(new TimeoutException())).isFalse();
        assertThat(StateStore.refused(new RedisException("Connection closed"))).isFalse();
        assertThat(StateStore.unwrap(new CompletionException(new CompletionException(new TimeoutException()))))
                .isInstanceOf(TimeoutException.class);
    }
}

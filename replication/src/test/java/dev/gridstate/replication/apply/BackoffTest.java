package dev.gridstate.replication.apply;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

    @Test
    void doublesFromTheInitialPauseAndStaysAtTheMaximum() {
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(1_000_000)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesAMaximumBelowTheInitialPause() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .hasMessageContaining("initial=PT3S, max=PT2S");
    }
}

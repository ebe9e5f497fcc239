package dev.gridstate.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void shouldDoubleTheCeilingPerAttemptUntilTheCap() {
        assertThat(IntStream.range(0, 8).mapToObj(a -> Duration.ofNanos(backoff.ceilingNanos(a)).toMillis()))
                .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
    }

    @Test
    void shouldNeverExceedTheCapNorOverflowForAnyAttempt() {
        Random random = new Random(7);

        for (int attempt = 0; attempt < 10_000; attempt++) {
            Duration delay = backoff.delay(attempt, random);

            assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        }
        assertThat(backoff.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void shouldSpreadDelaysOverTheWholeRangeWithFullJitter() {
        Random random = new Random(7);

        var delays = IntStream.range(0, 1_000).mapToObj(i -> backoff.delay(20, random).toMillis()).toList();

        assertThat(delays).anyMatch(ms -> ms < 500).anyMatch(ms -> ms > 4_500);
    }
}

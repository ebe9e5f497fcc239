package dev.gridstate.agent;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldReadDeltaSeconds() {
        assertThat(RetryAfter.parse(Optional.of("3"), clock)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldReadAnHttpDateAgainstTheClock() {
        assertThat(RetryAfter.parse(Optional.of("Wed, 01 Jan 2025 10:00:07 GMT"), clock))
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void shouldTreatAbsentPastOrUnreadableValuesAsNoWait() {
        assertThat(RetryAfter.parse(Optional.empty(), clock)).isZero();
        assertThat(RetryAfter.parse(Optional.of("Wed, 01 Jan 2025 09:00:00 GMT"), clock)).isZero();
        assertThat(RetryAfter.parse(Optional.of("soon"), clock)).isZero();
    }
}

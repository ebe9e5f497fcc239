package dev.gridstate.replication.apply;

import java.time.Duration;

/** Pauses between attempts: {@code initial}, doubling with every failure, never above {@code max}. */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < initial <= max, but was initial=" + initial
                    + ", max=" + max);
        }
    }

    /** The pause after failed attempt number {@code failures} (1 for the first failure). */
    public Duration delay(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis >= max.toMillis() ? max : Duration.ofMillis(millis);
    }
}

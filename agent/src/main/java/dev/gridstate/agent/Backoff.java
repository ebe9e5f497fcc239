package dev.gridstate.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the delay before retry {@code attempt} (0-based) is drawn
 * uniformly from {@code [0, min(cap, base * 2^attempt)]}, so it never exceeds the cap.
 */
record Backoff(Duration base, Duration cap) {

    Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceilingNanos(attempt);
        return Duration.ofNanos(random.nextLong(ceiling + 1));
    }

    /**
     * The drawn delay, or the gateway's {@code Retry-After} if that is longer; Retry-After is honoured
     * up to the cap only, so a node never goes silent for longer than the cap.
     */
    Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        Duration drawn = delay(attempt, random);
        Duration asked = retryAfter.compareTo(cap) <= 0 ? retryAfter : cap;
        return drawn.compareTo(asked) >= 0 ? drawn : asked;
    }

    long ceilingNanos(int attempt) {
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        int shift = Math.min(Math.max(attempt, 0), 62);
        // base << shift would overflow or pass the cap: the cap is the ceiling
        if (baseNanos > (capNanos >> shift)) {
            return capNanos;
        }
        return Math.min(capNanos, baseNanos << shift);
    }
}

package dev.gridstate.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * What one run does. Every run ends within {@link #bound()}: requests go out during warmup and
 * duration, and the last of them is answered or timed out within one timeout after that.
 *
 * @param rate requests per second over all connections (OPEN); 0 for CLOSED
 * @param timeout a request not answered within it counts as a timeout, and its connection is
 *     closed and reopened
 * @param maxBacklog OPEN only: when the requests due but not yet sent exceed this much of the
 *     rate, the run stops issuing and reports itself saturated
 */
public record LoadSpec(
        String name,
        LoadMode mode,
        double rate,
        Duration warmup,
        Duration duration,
        Duration timeout,
        Duration maxBacklog,
        CompletionListener listener) {

    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_BACKLOG = Duration.ofSeconds(10);
    static final double MAX_RATE = 1_000_000;

    public LoadSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(listener, "listener");
        if (mode == LoadMode.OPEN && !(rate > 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException(
                    "run '" + name + "': rate must be greater than 0 and at most " + (long) MAX_RATE + " requests/s, but was " + rate);
        }
        if (mode == LoadMode.CLOSED && rate != 0) {
            throw new IllegalArgumentException("run '" + name + "': a CLOSED run has no rate, but was given " + rate);
        }
        requireNotNegative(name, "warmup", warmup);
        requirePositive(name, "duration", duration);
        requirePositive(name, "timeout", timeout);
        requirePositive(name, "maxBacklog", maxBacklog);
    }

    /** A constant-rate run, with the defaults for everything else. */
    public static Builder open(String name, double requestsPerSecond) {
        return new Builder(name, LoadMode.OPEN, requestsPerSecond);
    }

    /** A run where each connection sends again as soon as it is answered. */
    public static Builder closed(String name) {
        return new Builder(name, LoadMode.CLOSED, 0);
    }

    /** The longest a run may take: warmup + duration + timeout. */
    public Duration bound() {
        return warmup.plus(duration).plus(timeout);
    }

    public Builder mutate() {
        return new Builder(name, mode, rate)
                .warmup(warmup).duration(duration).timeout(timeout).maxBacklog(maxBacklog).listener(listener);
    }

    private static void requirePositive(String name, String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("run '" + name + "': " + what + " must be greater than 0, but was " + value);
        }
    }

    private static void requireNotNegative(String name, String what, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("run '" + name + "': " + what + " must not be negative, but was " + value);
        }
    }

    public static final class Builder {
        private final String name;
        private final LoadMode mode;
        private final double rate;
        private Duration warmup = DEFAULT_WARMUP;
        private Duration duration = DEFAULT_DURATION;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration maxBacklog = DEFAULT_MAX_BACKLOG;
        private CompletionListener listener = CompletionListener.NONE;

        private Builder(String name, LoadMode mode, double rate) {
            this.name = name;
            this.mode = mode;
            this.rate = rate;
        }

        public Builder warmup(Duration value) {
            this.warmup = value;
            return this;
        }

        public Builder duration(Duration value) {
            this.duration = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder maxBacklog(Duration value) {
            this.maxBacklog = value;
            return this;
        }

        public Builder listener(CompletionListener value) {
            this.listener = value;
            return this;
        }

        public LoadSpec build() {
            return new LoadSpec(name, mode, rate, warmup, duration, timeout, maxBacklog, listener);
        }
    }
}

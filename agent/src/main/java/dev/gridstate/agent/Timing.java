package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** The heartbeat interval the gateway asks for, and the jittered delays derived from it. */
final class Timing {

    /** Used until a gateway answers with {@code intervalMs}. */
    static final Duration FALLBACK_INTERVAL = Duration.ofSeconds(5);
    /** A floor, so a misconfigured gateway cannot make its agents beat in a hot loop. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(50);

    private final double jitter;
    private final RandomGenerator random;
    private volatile Duration interval = FALLBACK_INTERVAL;

    Timing(double jitter, RandomGenerator random) {
        this.jitter = jitter;
        this.random = random;
    }

    /** Takes {@code intervalMs} from a registration or heartbeat answer when it has one. */
    void update(JsonNode answer) {
        Wire.millis(answer, "intervalMs").ifPresent(ms -> interval = ms.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : ms);
    }

    Duration interval() {
        return interval;
    }

    /** The first beat falls anywhere in one interval, so agents started together spread out. */
    Duration firstDelay() {
        return scale(random.nextDouble());
    }

    /** Up to {@code jitter} of the interval early, so agents do not stay in lock-step. */
    Duration nextDelay() {
        return scale(1.0 - jitter * random.nextDouble());
    }

    private Duration scale(double factor) {
        return Duration.ofNanos((long) (interval.toNanos() * factor));
    }
}

package dev.gridstate.replication.apply;

import java.time.Clock;
import java.time.Duration;

/** Lets a repeated log line through at most once per interval. */
public final class Throttle {

    private final Clock clock;
    private final long intervalMillis;
    private long lastMillis;
    private boolean never = true;

    public Throttle(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** True for the first call, then for the first call after each interval has passed. */
    public synchronized boolean permits() {
        long now = clock.millis();
        if (never || now - lastMillis >= intervalMillis) {
            never = false;
            lastMillis = now;
            return true;
        }
        return false;
    }

    /** The next call is permitted: after a recovery, the next failure is news again. */
    public synchronized void reset() {
        never = true;
    }
}

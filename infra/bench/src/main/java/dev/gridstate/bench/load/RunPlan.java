package dev.gridstate.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The schedule of one run, shared by the event loops that carry it out. In OPEN mode request
 * {@code i} is meant to go out at {@code start + i / rate} on connection {@code i % connections};
 * nothing per request is stored, so a backlog costs no memory.
 */
final class RunPlan {

    private static final long NOT_STOPPED = Long.MAX_VALUE;

    final LoadSpec spec;
    final RequestSource source;
    final boolean wantsBody;
    final int connections;
    final long start;
    final long measureStart;
    final long issueEnd;
    final long timeoutNanos;
    private final double nanosPerRequest;
    /** OPEN: how many requests the schedule holds (intended before issueEnd). */
    final long total;
    /** OPEN: the index of the first request after the warmup. */
    final long firstMeasured;
    /** OPEN: the most requests that may be due but unsent. */
    final long backlogCap;
    private final AtomicLong stoppedAt = new AtomicLong(NOT_STOPPED);
    private volatile boolean saturated;

    RunPlan(LoadSpec spec, RequestSource source, int connections, long start) {
        this.spec = spec;
        this.source = source;
        this.wantsBody = source.wantsBody();
        this.connections = connections;
        this.start = start;
        this.measureStart = start + spec.warmup().toNanos();
        this.issueEnd = measureStart + spec.duration().toNanos();
        this.timeoutNanos = spec.timeout().toNanos();
        boolean open = spec.mode() == LoadMode.OPEN;
        this.nanosPerRequest = open ? 1e9 / spec.rate() : Double.POSITIVE_INFINITY;
        this.total = open ? (long) Math.ceil((issueEnd - start) / nanosPerRequest) : 0;
        this.firstMeasured = open ? firstMeasured() : 0;
        this.backlogCap = open ? Math.max(1, (long) (spec.rate() * spec.maxBacklog().toNanos() / 1e9)) : 0;
    }

    boolean open() {
        return spec.mode() == LoadMode.OPEN;
    }

    long intendedTime(long index) {
        return start + (long) Math.ceil(index * nanosPerRequest);
    }

    /** How many requests of the schedule are due at {@code now}: indices below it. */
    long dueCount(long now) {
        if (now < start) {
            return 0;
        }
        return Math.min(total, (long) ((now - start) / nanosPerRequest) + 1);
    }

    /** Requests on {@code connection} that are due when {@code due} of the schedule are. */
    long dueOn(int connection, long due) {
        return due > connection ? (due - 1 - connection) / connections + 1 : 0;
    }

    private long firstMeasured() {
        long index = (long) Math.ceil((measureStart - start) / nanosPerRequest);
        // Settle rounding against intendedTime itself, so the two never disagree.
        while (index > 0 && measured(intendedTime(index - 1))) {
            index--;
        }
        while (!measured(intendedTime(index))) {
            index++;
        }
        return index;
    }

    boolean measured(long intendedNanos) {
        return intendedNanos >= measureStart;
    }

    void saturate(long now) {
        if (stoppedAt.compareAndSet(NOT_STOPPED, now)) {
            saturated = true;
        }
    }

    boolean saturated() {
        return saturated;
    }

    boolean stopped() {
        return stoppedAt.get() != NOT_STOPPED;
    }

    /** When issuing stopped or stops: the end of the duration, or earlier when saturated. */
    long stopTime() {
        return Math.min(issueEnd, stoppedAt.get());
    }
}

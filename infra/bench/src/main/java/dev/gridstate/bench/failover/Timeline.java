package dev.gridstate.bench.failover;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of every request of one measurement: when it was meant to start, when its answer
 * (or its failure) came, and whether it succeeded. Times are {@link System#nanoTime()} values.
 *
 * <p>Safe for any number of recording threads; sized for about a thousand requests a second over
 * a minute or two. Readers get a copy ({@link #outcomes()}), so figures can be computed while
 * requests are still being recorded.
 */
public final class Timeline {

    private static final int INITIAL_CAPACITY = 1 << 16;

    private long[] starts = new long[INITIAL_CAPACITY];
    private long[] ends = new long[INITIAL_CAPACITY];
    private boolean[] oks = new boolean[INITIAL_CAPACITY];
    private int size;

    /** One request. Its latency runs from its intended start, so a stalled sender is not hidden. */
    public record Outcome(long startNanos, long endNanos, boolean ok) {

        public long latencyNanos() {
            return endNanos - startNanos;
        }
    }

    public synchronized void record(long startNanos, long endNanos, boolean ok) {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("a request cannot end before it starts, but ended at "
                    + endNanos + " ns after starting at " + startNanos + " ns");
        }
        if (size == starts.length) {
            int capacity = Math.multiplyExact(size, 2);
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            oks = Arrays.copyOf(oks, capacity);
        }
        starts[size] = startNanos;
        ends[size] = endNanos;
        oks[size] = ok;
        size++;
    }

    public synchronized int size() {
        return size;
    }

    /** A copy of every outcome recorded so far, in order of start. */
    public List<Outcome> outcomes() {
        List<Outcome> copy;
        synchronized (this) {
            copy = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                copy.add(new Outcome(starts[i], ends[i], oks[i]));
            }
        }
        copy.sort(Comparator.comparingLong(Outcome::startNanos));
        return copy;
    }

    /**
     * Failed requests that were still open at {@code instantNanos}, that is that ended at or after
     * it. For the gateway the caller passes the instant its breaker opened: what failed after it
     * is what the breaker did not spare.
     */
    public long failedEndingAtOrAfter(long instantNanos) {
        return outcomes().stream().filter(o -> !o.ok() && o.endNanos() >= instantNanos).count();
    }
}

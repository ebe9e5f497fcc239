package dev.gridstate.bench.load;

/**
 * Told of every request a run finishes, warmup included, so a caller can build its own
 * timeline (a failover measurement, say). Called on the event loop that owns the connection;
 * keep it cheap, and thread-safe when the generator has more than one I/O thread.
 */
@FunctionalInterface
public interface CompletionListener {

    /** The status given for a request that timed out or lost its connection. */
    int FAILED = -1;

    CompletionListener NONE = (intendedStartNanos, endNanos, status, warmup) -> { };

    /**
     * @param intendedStartNanos {@link System#nanoTime()} the request was meant to be sent at
     *     (OPEN), or was sent at (CLOSED)
     * @param endNanos when the answer, timeout or transport error was seen
     * @param status the HTTP status, or {@link #FAILED}
     * @param warmup whether the request belongs to the warmup, which the result does not count
     */
    void onCompletion(long intendedStartNanos, long endNanos, int status, boolean warmup);
}

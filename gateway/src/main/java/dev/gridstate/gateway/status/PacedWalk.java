package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.Sourced;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A walk through a Redis cursor (SCAN, ZSCAN) in a Lua script per page, a few pages per snapshot,
 * so that counting a region of 100k nodes costs Redis a little every second instead of a lot at
 * once. A pass runs on one Redis: a cursor means nothing to the other one, so a pass that finds
 * the state store switched (failover, failback) starts again there. What a pass found is
 * published only when it is complete; until then the previous pass's result stands.
 *
 * <p>Not thread-safe: one thread (the status ticker) advances it.
 */
abstract class PacedWalk {

    private static final String START = "0";

    private final String what;
    private final int pageSize;
    private String cursor = START;
    private boolean inPass;
    private Source source;
    private long startedAt;
    private long progress;
    private String error;

    /** {@code what} names the walk in errors; {@code pageSize} is the COUNT of one page. */
    PacedWalk(String what, int pageSize) {
        this.what = what;
        this.pageSize = pageSize;
    }

    /** One page: the script's reply is {@code [next cursor, entries looked at, …]}. */
    protected abstract CompletionStage<Sourced<List<Object>>> page(String cursor, int count);

    /** A pass begins: forget what an unfinished one gathered. */
    protected abstract void begin();

    /** Takes in one page's reply. */
    protected abstract void take(List<Object> reply);

    /** The pass that began at {@code startedAt} is complete. */
    protected abstract void finish(long startedAt, long now);

    /**
     * Walks on until {@code budget} entries were looked at, {@code deadlineNanos} (System.nanoTime)
     * passed, or the pass ended. A page that fails or is late leaves the cursor where it was, and
     * {@link #error()} says why until a page succeeds.
     */
    final void advance(int budget, long deadlineNanos) {
        long left = budget;
        while (left > 0) {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            if (!inPass) {
                begin();
                inPass = true;
                cursor = START;
                source = null;
                progress = 0;
                startedAt = System.currentTimeMillis();
            }
            Sourced<List<Object>> reply;
            try {
                reply = page(cursor, (int) Math.min(pageSize, left)).toCompletableFuture().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                error = "the " + what + " got no answer from Redis within this snapshot's time";
                return;
            } catch (ExecutionException e) {
                error = "the " + what + " failed: " + Parts.reason(e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (source != null && reply.source() != source) {
                // Answered by the other Redis: the cursor was the first one's.
                inPass = false;
                continue;
            }
            source = reply.source();
            error = null;
            List<Object> value = reply.value();
            long looked = (Long) value.get(1);
            take(value);
            progress += looked;
            left -= Math.max(1, looked);
            cursor = (String) value.get(0);
            if (cursor.equals(START)) {
                inPass = false;
                finish(startedAt, System.currentTimeMillis());
                // At most one pass per snapshot: a small region is counted afresh each time, a big one at its pace.
                return;
            }
        }
    }

    /** Why the last page failed; null after one that succeeded. */
    final String error() {
        return error;
    }

    /** Entries the pass under way has looked at so far (0 between passes). */
    final long progress() {
        return inPass ? progress : 0;
    }
}

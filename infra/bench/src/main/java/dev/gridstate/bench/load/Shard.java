package dev.gridstate.bench.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's part of a run: paces its connections, times out their requests and tallies
 * the answers. Everything but {@link #start} and {@link #abort} runs on that loop.
 *
 * <p>A tick wakes when the next request is due, a request may time out, or issuing ends, and
 * never sooner than {@link #MIN_TICK_NANOS} after the last: requests due in between go out
 * together, and the loop never spins.
 */
final class Shard {

    static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RunPlan plan;
    private final EventLoop loop;
    private final List<Connection> connections;
    private final long backlogCap;
    private final Tally tally = new Tally();
    final CompletableFuture<Tally> done = new CompletableFuture<>();
    private boolean issuing = true;
    private boolean finished;
    private ScheduledFuture<?> tick;
    private long tickAt = Long.MAX_VALUE;

    Shard(RunPlan plan, EventLoop loop, List<Connection> connections) {
        this.plan = plan;
        this.loop = loop;
        this.connections = connections;
        this.backlogCap = Math.max(1, plan.backlogCap * connections.size() / plan.connections);
    }

    void start() {
        loop.execute(() -> {
            for (Connection connection : connections) {
                connection.attach(this);
            }
            runTick();
        });
    }

    /** From any thread: end the run now, in error. */
    void abort(Throwable reason) {
        loop.execute(() -> finish(reason));
    }

    boolean wantsBody() {
        return plan.wantsBody;
    }

    /** A connection opened, or answered and may send again. */
    void onIdle(Connection connection) {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        if (issuing && now < plan.issueEnd && !plan.stopped()) {
            trySend(connection, now);
        } else {
            finishIfDrained();
        }
    }

    void onAnswer(Request request, int status, String body, long intended, long sent, long end, boolean measured) {
        if (measured) {
            tally.answer(status, end - intended, end - sent);
        }
        try {
            plan.source.onResponse(request, status, body);
            plan.spec.listener().onCompletion(intended, end, status, !measured);
        } catch (RuntimeException e) {
            finish(new LoadException("run '" + plan.spec.name() + "': the request source or listener failed on " + request, e));
        }
    }

    void onFailure(boolean timeout, long intended, long end, boolean measured) {
        if (measured) {
            if (timeout) {
                tally.timeouts++;
            } else {
                tally.transportErrors++;
            }
        }
        try {
            plan.spec.listener().onCompletion(intended, end, CompletionListener.FAILED, !measured);
        } catch (RuntimeException e) {
            finish(new LoadException("run '" + plan.spec.name() + "': the completion listener failed", e));
            return;
        }
        finishIfDrained();
    }

    private void runTick() {
        tick = null;
        tickAt = Long.MAX_VALUE;
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        // At the end of the duration an OPEN run still sends what fell due since the last tick.
        boolean mayIssue = issuing && !plan.stopped() && (plan.open() || now < plan.issueEnd);
        long wake = Long.MAX_VALUE;
        if (mayIssue && plan.open() && now < plan.issueEnd) {
            long due = plan.dueCount(now);
            if (backlog(due) > backlogCap) {
                plan.saturate(now);
                mayIssue = false;
            } else if (due < plan.total) {
                wake = plan.intendedTime(due);
            }
        }
        for (Connection connection : connections) {
            if (connection.busy() && now - connection.sentNanos() >= plan.timeoutNanos) {
                connection.timeOut(now);
            }
            if (mayIssue && connection.idle()) {
                trySend(connection, now);
            }
            if (finished) {
                return;
            }
            if (connection.busy()) {
                wake = Math.min(wake, connection.sentNanos() + plan.timeoutNanos);
            }
        }
        if (issuing) {
            if (now >= plan.issueEnd || plan.stopped()) {
                stopIssuing();
            } else {
                wake = Math.min(wake, plan.issueEnd);
            }
        }
        if (!finishIfDrained()) {
            scheduleTick(wake, now);
        }
    }

    private void trySend(Connection connection, long now) {
        long seq = connection.id + connection.nextK * (long) plan.connections;
        long intended;
        if (plan.open()) {
            if (seq >= plan.dueCount(now)) {
                return;
            }
            intended = plan.intendedTime(seq);
        } else {
            intended = now;
        }
        Request request;
        try {
            request = plan.source.next(seq, connection.id);
        } catch (RuntimeException e) {
            finish(new LoadException("run '" + plan.spec.name() + "': the request source failed on request " + seq, e));
            return;
        }
        connection.nextK++;
        boolean measured = plan.measured(intended);
        if (measured) {
            tally.sent++;
        }
        connection.send(request, intended, now, measured);
        long deadline = now + plan.timeoutNanos;
        if (deadline < tickAt) {
            scheduleTick(deadline, now);
        }
    }

    private long backlog(long due) {
        long backlog = 0;
        for (Connection connection : connections) {
            backlog += plan.dueOn(connection.id, due) - connection.nextK;
        }
        return backlog;
    }

    private void stopIssuing() {
        issuing = false;
        if (plan.open()) {
            long due = plan.dueCount(plan.stopTime());
            long unsent = 0;
            for (Connection connection : connections) {
                long firstUnsent = Math.max(connection.nextK, plan.dueOn(connection.id, plan.firstMeasured));
                unsent += Math.max(0, plan.dueOn(connection.id, due) - firstUnsent);
            }
            tally.unsent = unsent;
        }
    }

    private boolean finishIfDrained() {
        if (finished || issuing) {
            return finished;
        }
        for (Connection connection : connections) {
            if (connection.busy()) {
                return false;
            }
        }
        finish(null);
        return true;
    }

    private void scheduleTick(long at, long now) {
        long when = Math.max(at, now + MIN_TICK_NANOS);
        if (tick != null) {
            if (tickAt <= when) {
                return;
            }
            tick.cancel(false);
        }
        tickAt = when;
        tick = loop.schedule(this::runTick, when - now, TimeUnit.NANOSECONDS);
    }

    private void finish(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        if (issuing) {
            stopIssuing();
        }
        for (Connection connection : connections) {
            connection.detach(this);
        }
        if (error == null) {
            done.complete(tally);
        } else {
            done.completeExceptionally(error);
        }
    }
}

package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The jobs of one node. While the node is registered and has a free slot, one assignment poll is on the
 * wire; jobs beyond the free slots wait in a local queue, in the order they came, their leases renewed
 * from arrival. A job holds its slot until its outcome is reported, so with one slot the node polls, runs,
 * reports, and only then polls again. After a failed poll the node waits out a backoff, which
 * {@link #nudge} cuts short.
 */
final class NodeJobs {

    private static final Logger log = LoggerFactory.getLogger(NodeJobs.class);

    private record Queued(Job job, LeaseKeeper.Renewal lease) {
    }

    private final NodeSlot node;
    private final int concurrency;
    private final AssignmentPoller poller;
    private final LeaseKeeper leases;
    private final JobRunner runner;
    private final ScheduledExecutorService scheduler;

    // all guarded by this
    private final Deque<Queued> queue = new ArrayDeque<>();
    private int running;
    private CompletableFuture<Attempt> poll;
    private ScheduledFuture<?> pause;
    private boolean awaitingRegistration;
    private int failures;
    private boolean stopped;

    NodeJobs(NodeSlot node, int concurrency, AssignmentPoller poller, LeaseKeeper leases, JobRunner runner,
             ScheduledExecutorService scheduler) {
        this.node = node;
        this.concurrency = concurrency;
        this.poller = poller;
        this.leases = leases;
        this.runner = runner;
        this.scheduler = scheduler;
    }

    /** Polls once the node is registered. */
    void start() {
        pump();
    }

    /** The gateway says work is waiting: a poll held back by a backoff goes out now. */
    void nudge() {
        synchronized (this) {
            if (pause == null || !pause.cancel(false)) {
                return;
            }
            pause = null;
        }
        log.debug("node '{}' has assignments waiting; polling now", node.id());
        pump();
    }

    /** Aborts the poll on the wire and drops the queue (the gateway assigns those jobs again when their leases end). */
    void stop() {
        CompletableFuture<Attempt> onTheWire;
        ScheduledFuture<?> waiting;
        List<Queued> dropped;
        int busy;
        synchronized (this) {
            stopped = true;
            onTheWire = poll;
            waiting = pause;
            dropped = List.copyOf(queue);
            queue.clear();
            busy = running;
        }
        if (onTheWire != null) {
            onTheWire.cancel(true);
        }
        if (waiting != null) {
            waiting.cancel(false);
        }
        dropped.forEach(queued -> queued.lease().stop());
        if (busy > 0 || !dropped.isEmpty()) {
            log.info("node '{}' stops taking jobs with {} running and {} queued {}; their leases will run out",
                    node.id(), busy, dropped.size(), dropped.stream().map(queued -> queued.job().id()).toList());
        }
    }

    /** Starts what the free slots can take, then polls if a slot is still free and nothing holds the poll back. */
    private void pump() {
        boolean awaitRegistration = false;
        CompletableFuture<Attempt> sent;
        long sentAt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            while (running < concurrency && !queue.isEmpty()) {
                Queued next = queue.poll();
                running++;
                runner.run(node, next.job(), next.lease(), this::finished);
            }
            if (running >= concurrency || poll != null || pause != null || awaitingRegistration) {
                return;
            }
            if (!node.isRegistered()) {
                awaitingRegistration = true;
                awaitRegistration = true;
                sent = null;
                sentAt = 0;
            } else {
                sentAt = System.nanoTime();
                sent = poller.send(node);
                poll = sent;
            }
        }
        if (awaitRegistration) {
            node.whenRegistered(this::registered);
        } else {
            sent.whenComplete((attempt, error) -> answered(attempt, error, sentAt));
        }
    }

    private void answered(Attempt attempt, Throwable error, long sentAt) {
        int failed;
        synchronized (this) {
            if (stopped) {
                poll = null;
                if (attempt instanceof Attempt.Answered) {
                    log.debug("node '{}' stopped taking jobs; ignoring the answer of its last poll", node.id());
                }
                return;
            }
            failed = failures;
        }
        if (error != null) {
            log.error("assignment poll of node '{}' ended unexpectedly", node.id(), error);
        }
        AssignmentPoller.Polled polled = poller.read(node, error != null ? Attempt.ABANDONED : attempt, failed, sentAt);
        List<Queued> arrived = polled.jobs().stream().map(job -> new Queued(job, leases.renew(node, job))).toList();
        synchronized (this) {
            if (stopped) {
                poll = null;
                arrived.forEach(queued -> queued.lease().stop());
                log.info("node '{}' stopped taking jobs as {} arrived; their leases will run out", node.id(),
                        arrived.stream().map(queued -> queued.job().id()).toList());
                return;
            }
            // queued before the poll counts as done, so no second poll goes out for slots these jobs will fill
            queue.addAll(arrived);
            poll = null;
            failures = polled.failed() ? failures + 1 : 0;
            if (!polled.pause().isZero()) {
                pauseFor(polled.pause());
            }
        }
        pump();
    }

    private void pauseFor(Duration delay) {
        try {
            pause = scheduler.schedule(this::resume, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("scheduler is shut down; node '{}' stops polling", node.id());
            stopped = true;
        }
    }

    private void resume() {
        synchronized (this) {
            pause = null;
        }
        pump();
    }

    private void registered() {
        synchronized (this) {
            awaitingRegistration = false;
        }
        pump();
    }

    private void finished() {
        synchronized (this) {
            running--;
        }
        pump();
    }
}

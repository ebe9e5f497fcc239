package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Beats for all registered nodes of one agent, one round at a time: the next round is scheduled
 * (at the gateway's interval, jittered) only when the previous one has its answers, so a slow or
 * failing gateway never piles up requests.
 */
final class HeartbeatLoop {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatLoop.class);

    private final List<NodeSlot> nodes;
    private final HeartbeatSender sender;
    private final Timing timing;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> next;

    HeartbeatLoop(List<NodeSlot> nodes, HeartbeatSender sender, Timing timing, ScheduledExecutorService scheduler) {
        this.nodes = nodes;
        this.sender = sender;
        this.timing = timing;
        this.scheduler = scheduler;
    }

    /** Starts beating after the first registration; later calls do nothing. */
    void startIfIdle() {
        if (started.compareAndSet(false, true)) {
            schedule(timing.firstDelay());
        }
    }

    void stop() {
        stopped = true;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void beat() {
        if (stopped) {
            return;
        }
        try {
            List<NodeSlot> due = nodes.stream().filter(NodeSlot::isRegistered).toList();
            if (due.isEmpty()) {
                schedule(timing.nextDelay());
                return;
            }
            sender.send(due).whenComplete((ignored, error) -> {
                if (error != null) {
                    log.error("heartbeat round for nodes {} ended unexpectedly", ids(due), error);
                }
                schedule(timing.nextDelay());
            });
        } catch (RuntimeException e) {
            log.error("heartbeat round failed to start; trying again in one interval", e);
            schedule(timing.nextDelay());
        }
    }

    private void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        try {
            next = scheduler.schedule(this::beat, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("scheduler is shut down; heartbeats of nodes {} stop", ids(nodes), e);
            stopped = true;
        }
    }

    private static List<String> ids(List<NodeSlot> nodes) {
        return nodes.stream().map(NodeSlot::id).toList();
    }
}

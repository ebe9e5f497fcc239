package dev.gridstate.gateway.replication;

import dev.gridstate.state.ChangeMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages of the change log waiting for the broker: a bounded buffer, so a broker outage
 * costs memory up to a limit and never blocks a request. A message that does not fit is
 * dropped, counted and logged, and the region is marked for a resync, which repairs central
 * once the broker takes messages again.
 */
@Context
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final long DROP_LOG_EVERY_MS = 5_000;

    /** A message, and what waits for the broker to confirm it (completed by the publisher). */
    record Outgoing(ChangeMessage message, CompletableFuture<Void> confirmed) {
        static Outgoing of(ChangeMessage message) {
            return new Outgoing(message, new CompletableFuture<>());
        }
    }

    private final ArrayBlockingQueue<Outgoing> queue;
    private final Counter dropped;
    private final AtomicBoolean resyncNeeded = new AtomicBoolean();
    private final AtomicLong lastDropLog = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();

    Outbox(ReplicationSettings settings, MeterRegistry metrics) {
        this.queue = new ArrayBlockingQueue<>(settings.bufferMessages());
        this.dropped = Counter.builder("gateway.replication.dropped")
                .description("change-log messages dropped because the outbox was full").register(metrics);
        Gauge.builder("gateway.replication.outbox", queue, ArrayBlockingQueue::size)
                .description("change-log messages waiting for the broker").register(metrics);
    }

    /** Takes the message if there is room; otherwise drops it, and the region will be resynced. */
    boolean offer(Outgoing outgoing) {
        if (queue.offer(outgoing)) {
            return true;
        }
        dropped.increment();
        long total = droppedTotal.incrementAndGet();
        resyncNeeded.set(true);
        outgoing.confirmed().completeExceptionally(new IllegalStateException("the change-log outbox is full"));
        long now = System.currentTimeMillis();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_EVERY_MS && lastDropLog.compareAndSet(last, now)) {
            LOG.warn("change-log outbox full ({} messages): {} message(s) dropped so far; central will be resynced "
                    + "when the broker takes messages again", queue.size(), total);
        }
        return false;
    }

    /** Waits up to {@code timeoutMs} for room: for resync pages, which run off the request path. */
    boolean put(Outgoing outgoing, long timeoutMs) throws InterruptedException {
        return queue.offer(outgoing, timeoutMs, TimeUnit.MILLISECONDS);
    }

    Outgoing poll(long timeoutMs) throws InterruptedException {
        return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    void drainTo(List<Outgoing> into, int max) {
        queue.drainTo(into, max);
    }

    /** Messages waiting for the broker. */
    public int size() {
        return queue.size();
    }

    long dropped() {
        return droppedTotal.get();
    }

    /** True once after a drop: the caller owes central a resync. */
    boolean takeResyncNeeded() {
        return resyncNeeded.getAndSet(false);
    }

    void markResyncNeeded() {
        resyncNeeded.set(true);
    }
}

package dev.gridstate.replication;

import com.rabbitmq.client.Connection;
import dev.gridstate.replication.apply.Inbox;
import dev.gridstate.replication.apply.RegionApplier;
import dev.gridstate.replication.apply.Sleeper;
import dev.gridstate.replication.apply.Throttle;
import dev.gridstate.replication.broker.RegionConsumer;
import dev.gridstate.replication.central.CentralStore;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** One region's replication: its queue's consumer, the deliveries waiting, the applier thread and the meters. */
final class Region {

    private final String name;
    private final Inbox inbox = new Inbox();
    private final RegionConsumer consumer;
    private final RegionMetrics metrics;
    private final RegionApplier applier;
    private Thread thread;

    Region(String name, ReplicationSettings settings, RetrySettings retry, CentralStore central,
           MeterRegistry registry, Clock clock) {
        this.name = name;
        this.consumer = new RegionConsumer(name, settings.topology(), settings.prefetch(), inbox);
        this.metrics = new RegionMetrics(name, registry, clock, this::waiting);
        RegionApplier.Limits limits = new RegionApplier.Limits(settings.batchMaxMessages(), settings.batchMaxBytes());
        this.applier = new RegionApplier(name, inbox, central.forRegion(name), consumer, metrics, limits,
                retry.backoff(), Sleeper.THREAD, new Throttle(clock, retry.logInterval()));
    }

    String name() {
        return name;
    }

    RegionConsumer consumer() {
        return consumer;
    }

    void startApplying() {
        thread = Thread.ofPlatform().name("apply-" + name).daemon().start(applier);
    }

    void subscribe(Connection connection) throws IOException {
        consumer.subscribe(connection);
    }

    /** No new batch, no further retry; the attempt in flight may finish. */
    void stopApplying() {
        applier.stop();
    }

    /** Waits until the applier is done, up to {@code patience}; then interrupts it, abandoning its batch. */
    void awaitStopped(Duration patience) throws InterruptedException {
        if (thread == null) {
            return;
        }
        thread.join(patience);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(1));
        }
    }

    RegionStatus status() {
        RegionMetrics.Figures f = metrics.figures();
        return new RegionStatus(name, consumer.queue(), consumer.consuming(), consumer.delivering() ? Boolean.TRUE : null,
                waiting(), f.appliedMessages(), f.appliedEntities(), f.unchangedEntities(), f.rejectedMessages(),
                f.retries(), f.lastAppliedVersion(), f.lastAppliedAt() == null ? null : f.lastAppliedAt().toString(),
                f.lagP50Ms(), f.lagP99Ms(), f.lagMaxMs());
    }

    private long waiting() {
        return Math.max(0, consumer.ready()) + inbox.size();
    }
}

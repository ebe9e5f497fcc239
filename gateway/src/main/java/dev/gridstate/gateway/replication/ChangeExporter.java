package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.Failover;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.ChangeMessage;
import dev.gridstate.state.Keys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns marked entities into change-log messages: every flush interval the changes, every
 * heartbeat window the heartbeats, each page of entities one atomic export of their newest
 * state from the regional Redis, into the outbox. Off the request path, on its own thread.
 * An export the regional Redis refuses leaves its entities marked for the next round.
 */
@Context
public class ChangeExporter {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeExporter.class);
    private static final long EXPORT_TIMEOUT_MS = 2_000;
    private static final long LOG_EVERY_MS = 10_000;

    private final ReplicationSettings settings;
    private final ChangeTracker tracker;
    private final Outbox outbox;
    private final Keys keys;
    private final RedisClusterAsyncCommands<String, String> regional;
    private final Counter exported;
    private final Failover failover;
    private ScheduledExecutorService executor;
    private long lastFailureLog;

    /**
     * {@code publisher} is here for the order of shutdown: a bean is stopped before those it
     * depends on, so this exporter's last flush reaches the outbox while the publisher still sends.
     */
    ChangeExporter(ReplicationSettings settings, ChangeTracker tracker, Outbox outbox, Keys keys,
                   RegionalRedis regional, MeterRegistry metrics,
                   @SuppressWarnings("unused") ChangePublisher publisher, Failover failover) {
        this.failover = failover;
        this.settings = settings;
        this.tracker = tracker;
        this.outbox = outbox;
        this.keys = keys;
        this.regional = regional.async();
        this.exported = Counter.builder("gateway.replication.exported")
                .description("entity states exported to the change log").register(metrics);
        Gauge.builder("gateway.replication.pending", tracker, ChangeTracker::pending)
                .description("changed entities not yet exported").register(metrics);
    }

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("change-exporter").daemon().factory());
        long flush = settings.flushInterval().toMillis();
        long window = settings.heartbeatWindow().toMillis();
        executor.scheduleWithFixedDelay(() -> flush(tracker.takeChanges()), flush, flush, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> flush(tracker.takeHeartbeats()), window, window, TimeUnit.MILLISECONDS);
    }

    /** Exports what is still marked, once, before the gateway stops: a rolling restart loses no change. */
    @PreDestroy
    void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(EXPORT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        flush(tracker.takeChanges());
        flush(tracker.takeHeartbeats());
    }

    private void flush(Map<String, Long> taken) {
        if (taken.isEmpty()) {
            return;
        }
        if (!failover.regionalInUse()) {
            // Out of use, the regional Redis may hold older state than central: wait for it to be back and whole.
            tracker.putBack(taken);
            return;
        }
        List<String> entities = new ArrayList<>(taken.keySet());
        int size = settings.pageSize();
        for (int from = 0; from < entities.size(); from += size) {
            List<String> page = entities.subList(from, Math.min(from + size, entities.size()));
            long since = Long.MAX_VALUE;
            for (String key : page) {
                since = Math.min(since, taken.get(key));
            }
            try {
                ChangeLog.Export export = ChangeLog.exportHeld(regional, keys, page).toCompletableFuture()
                        .get(EXPORT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                outbox.offer(Outbox.Outgoing.of(ChangeMessage.changes(keys.region(), export, since)));
                exported.increment(page.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                Map<String, Long> rest = new LinkedHashMap<>();
                for (String key : entities.subList(from, entities.size())) {
                    rest.put(key, taken.get(key));
                }
                tracker.putBack(rest);
                logFailure(e, rest.size());
                return;
            }
        }
    }

    private void logFailure(Exception e, int entities) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLog >= LOG_EVERY_MS) {
            lastFailureLog = now;
            LOG.warn("change log: cannot export {} changed entities from the regional Redis ({}); trying again",
                    entities, e.toString());
        }
    }
}

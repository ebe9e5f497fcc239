package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.Failover;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.ChangeMessage;
import dev.gridstate.state.Keys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.micronaut.context.annotation.Context;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Anti-entropy: the whole region, pushed to central as a resync. Its pages carry every entity
 * the regional Redis holds; its closing message makes central delete what the region no longer
 * has and central still does (a deletion whose message was lost). Runs on demand, every
 * {@code resync-interval}, and by itself after the outbox had to drop messages.
 */
@Context
public class Resync {

    private static final Logger LOG = LoggerFactory.getLogger(Resync.class);
    private static final long PAGE_WAIT_MS = 30_000;
    private static final long CHECK_MS = 2_000;

    /** What one resync sent. */
    @Serdeable
    @Schema(name = "ResyncResult")
    public record Result(String id, String version, long entities, long messages, long tookMs) {
    }

    /** A resync is already running on this replica. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("a resync of this region is already running");
        }
    }

    private final ReplicationSettings settings;
    private final Outbox outbox;
    private final ChangePublisher publisher;
    private final Keys keys;
    private final RedisClusterAsyncCommands<String, String> regional;
    private final RedisClusterCommands<String, String> regionalSync;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Failover failover;
    private volatile Result last;
    private ScheduledExecutorService executor;

    Resync(ReplicationSettings settings, Outbox outbox, ChangePublisher publisher, Keys keys,
           RegionalRedis regional, Failover failover) {
        this.failover = failover;
        this.settings = settings;
        this.outbox = outbox;
        this.publisher = publisher;
        this.keys = keys;
        this.regional = regional.async();
        this.regionalSync = regional.sync();
    }

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("change-resync").daemon().factory());
        long interval = settings.resyncInterval().toMillis();
        if (interval > 0) {
            executor.scheduleWithFixedDelay(() -> runQuietly("periodic"), interval, interval, TimeUnit.MILLISECONDS);
        }
        executor.scheduleWithFixedDelay(this::afterDrops, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    Result last() {
        return last;
    }

    /** Pushes the whole region to central through the change log; returns when every page is in the outbox. */
    public Result run() throws InterruptedException {
        if (!running.compareAndSet(false, true)) {
            throw new Busy();
        }
        try {
            long started = System.currentTimeMillis();
            String id = UUID.randomUUID().toString();
            // A resync of a regional Redis that lost its state (or is being refilled) would tell
            // central to delete the region: it runs only on one that holds the region, and sends its
            // closing message only if that is still the same one at the end.
            // Nor while the gateway serves from central: the regional Redis may be behind it then.
            if (!failover.regionalInUse()) {
                throw new IllegalStateException("the regional Redis is out of use (state calls go to central) "
                        + "or is being brought back");
            }
            String epoch = regionalSync.get(keys.epoch());
            if (epoch == null || Rehydrator.FILLING.equals(epoch) || Rehydrator.UNFILLED.equals(epoch)) {
                throw new IllegalStateException("the regional Redis does not hold the region's state yet (no epoch marker, "
                        + "or a refill from central is running)");
            }
            String from = ChangeLog.exportHeld(regional, keys, List.of()).toCompletableFuture().join().version();
            long[] counts = new long[2];
            InterruptedException[] interrupted = new InterruptedException[1];
            ChangeLog.scanEntities(regionalSync, keys, settings.pageSize(), page -> {
                if (interrupted[0] != null) {
                    return;
                }
                ChangeLog.Export export = ChangeLog.exportHeld(regional, keys, page).toCompletableFuture().join();
                try {
                    enqueue(ChangeMessage.resyncPage(keys.region(), export, started, id, (int) counts[1]));
                } catch (InterruptedException e) {
                    interrupted[0] = e;
                }
                counts[0] += page.size();
                counts[1]++;
            });
            if (interrupted[0] != null) {
                throw interrupted[0];
            }
            if (!epoch.equals(regionalSync.get(keys.epoch()))) {
                // Without its closing message the resync deletes nothing on central.
                throw new IllegalStateException("the regional Redis lost its state during the resync");
            }
            enqueue(ChangeMessage.resyncDone(keys.region(), from, started, id, (int) counts[1]));
            Result result = new Result(id, from, counts[0], counts[1] + 1, System.currentTimeMillis() - started);
            last = result;
            LOG.info("resync {} of region {}: {} entities in {} messages, {} ms", id, keys.region(), result.entities(),
                    result.messages(), result.tookMs());
            return result;
        } finally {
            running.set(false);
        }
    }

    private void enqueue(ChangeMessage message) throws InterruptedException {
        if (!outbox.put(Outbox.Outgoing.of(message), PAGE_WAIT_MS)) {
            // Without its closing message a resync deletes nothing on central: stopping here is safe.
            throw new IllegalStateException("the change-log outbox stayed full for " + PAGE_WAIT_MS + " ms");
        }
    }

    /** After drops, once the broker takes messages again and the outbox has room, repair central. */
    private void afterDrops() {
        if (publisher.connected() && outbox.size() < settings.bufferMessages() / 2 && outbox.takeResyncNeeded()) {
            if (!runQuietly("after dropped messages")) {
                outbox.markResyncNeeded();
            }
        }
    }

    private boolean runQuietly(String why) {
        try {
            LOG.info("resync of region {} ({})", keys.region(), why);
            run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Busy e) {
            return true;
        } catch (RuntimeException e) {
            LOG.warn("resync of region {} ({}) failed: {}", keys.region(), why, e.toString());
            return false;
        }
    }
}

package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.ChangeMessage;
import dev.gridstate.state.Keys;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Refills a regional Redis that came back empty (a restart without persistence, a FLUSHALL)
 * from central: flags, Subclouds and node records, each only where the region has nothing
 * newer, so a node that re-registered in the meantime keeps its own record.
 *
 * <p>Emptiness is told by the absence of the region's epoch marker. The replica that sets the
 * marker first (SET NX, with a lease) does the refill; if it dies halfway, the lease runs out
 * and another replica starts again; a repeated fill writes nothing twice.
 */
@Context
public class Rehydrator {

    private static final Logger LOG = LoggerFactory.getLogger(Rehydrator.class);
    /** The epoch marker's value while a refill runs. */
    static final String FILLING = "filling";
    private static final long LEASE_MS = 60_000;

    private final ReplicationSettings settings;
    private final Keys keys;
    private final RedisCommands<String, String> regional;
    private final RedisAsyncCommands<String, String> regionalAsync;
    private final CentralRedis central;
    private final Counter refills;
    private ScheduledExecutorService executor;
    private volatile boolean regionalDown;
    private long lastRefillWarning;

    Rehydrator(ReplicationSettings settings, Keys keys,
               @Named("regional") StatefulRedisConnection<String, String> regional, CentralRedis central,
               MeterRegistry metrics) {
        this.settings = settings;
        this.keys = keys;
        this.regional = regional.sync();
        this.regionalAsync = regional.async();
        this.central = central;
        this.refills = Counter.builder("gateway.replication.refills")
                .description("times this replica refilled an empty regional Redis from central").register(metrics);
    }

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("region-refill").daemon().factory());
        long every = settings.emptyCheckInterval().toMillis();
        executor.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void check() {
        try {
            if (regional.exists(keys.epoch()) == 1) {
                regionalDown = false;
                return;
            }
            if (!"OK".equals(regional.set(keys.epoch(), FILLING, SetArgs.Builder.nx().px(LEASE_MS)))) {
                return;
            }
        } catch (RuntimeException e) {
            if (!regionalDown) {
                LOG.warn("region {}: cannot check the regional Redis for its epoch marker: {}", keys.region(), e.toString());
            }
            regionalDown = true;
            return;
        }
        regionalDown = false;
        long started = System.currentTimeMillis();
        try {
            long[] written = new long[2];
            ChangeLog.scanEntities(central.sync(), keys, settings.pageSize(), page -> {
                ChangeLog.Export export = ChangeLog.export(central.async(), keys, page).toCompletableFuture().join();
                String message = ChangeMessage.changes(keys.region(), export, started).toJson();
                ChangeLog.Applied applied = ChangeLog.apply(regionalAsync, keys, ChangeLog.Mode.FILL_ABSENT, List.of(message))
                        .toCompletableFuture().join();
                written[0] += applied.applied();
                written[1] += applied.unchanged();
            });
            regional.set(keys.epoch(), Instant.now().toString());
            refills.increment();
            LOG.info("region {}: the regional Redis held no epoch marker; refilled {} entities from central ({} were newer here) in {} ms",
                    keys.region(), written[0], written[1], System.currentTimeMillis() - started);
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastRefillWarning >= 30_000) {
                lastRefillWarning = now;
                LOG.warn("region {}: the regional Redis holds no epoch marker and the refill from central failed; "
                        + "trying again every {}: {}", keys.region(), settings.emptyCheckInterval(), e.toString());
            }
            try {
                if (FILLING.equals(regional.get(keys.epoch()))) {
                    regional.del(keys.epoch());
                }
            } catch (RuntimeException ignored) {
                // The lease runs out by itself.
            }
        }
    }
}

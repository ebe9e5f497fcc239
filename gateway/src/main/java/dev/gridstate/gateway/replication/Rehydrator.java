package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.Keys;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Refills a regional Redis that came back empty (a restart without persistence, a FLUSHALL)
 * from central: flags, Subclouds and node records, each only where the region has nothing
 * newer, so a node that re-registered in the meantime keeps its own record. {@code Failover}
 * asks for it before it takes the regional Redis back into use.
 *
 * <p>Emptiness is told by the absence of the region's epoch marker. The replica that sets the
 * marker first (SET NX, with a lease) does the refill; if it dies halfway, the lease runs out
 * and another replica starts again; a repeated fill writes nothing twice. A regional Redis that
 * lost the region while central was out is marked {@code unfilled} and serves what it holds;
 * once central is back it is refilled in place, absent entities only.
 */
@Singleton
public class Rehydrator {

    private static final Logger LOG = LoggerFactory.getLogger(Rehydrator.class);
    /** The epoch marker's value while a refill runs (holds-region.lua names it too). */
    static final String FILLING = "filling";
    private static final long LEASE_MS = 60_000;

    /** The epoch marker's value on a regional Redis that lost the region while central was out to refill it. */
    static final String UNFILLED = "unfilled";

    /** What the regional Redis's epoch marker says. */
    public enum Held {
        /** It holds the region. */
        HELD,
        /** It lost the region (restart, FLUSHALL): no marker. */
        LOST,
        /** It lost the region while central was out, and has served what it held since: refill it in place. */
        UNFILLED,
        /** Another replica is refilling it. */
        FILLING_ELSEWHERE
    }

    private final ReplicationSettings settings;
    private final Keys keys;
    private final RedisClusterCommands<String, String> regional;
    private final RedisClusterAsyncCommands<String, String> regionalAsync;
    private final CentralRedis central;
    private final Counter refills;
    private long lastRefillWarning;

    Rehydrator(ReplicationSettings settings, Keys keys,
               RegionalRedis regional, CentralRedis central,
               MeterRegistry metrics) {
        this.settings = settings;
        this.keys = keys;
        this.regional = regional.sync();
        this.regionalAsync = regional.async();
        this.central = central;
        this.refills = Counter.builder("gateway.replication.refills")
                .description("times this replica refilled an empty regional Redis from central").register(metrics);
    }

    /** What the regional Redis's epoch marker says; throws if it does not answer. */
    public Held held() {
        String epoch = regional.get(keys.epoch());
        if (epoch == null) {
            return Held.LOST;
        }
        return switch (epoch) {
            case FILLING -> Held.FILLING_ELSEWHERE;
            case UNFILLED -> Held.UNFILLED;
            default -> Held.HELD;
        };
    }

    /** Marks a regional Redis that lost the region, and cannot be refilled now, as serving what it holds. */
    public void markUnfilled() {
        regional.set(keys.epoch(), UNFILLED, SetArgs.Builder.nx());
    }

    /**
     * Refills a regional Redis that lost the region from central, under a lease on its epoch
     * marker (SET NX): true if it holds the region now, false if another replica holds the lease
     * or central failed. While this runs, the gateways serve from central.
     */
    public boolean refillLost() {
        if (!"OK".equals(regional.set(keys.epoch(), FILLING, SetArgs.Builder.nx().px(LEASE_MS)))) {
            return held() == Held.HELD;
        }
        try {
            fill();
            regional.set(keys.epoch(), Instant.now().toString());
            return true;
        } catch (RuntimeException e) {
            warn(e);
            try {
                if (FILLING.equals(regional.get(keys.epoch()))) {
                    regional.del(keys.epoch());
                }
            } catch (RuntimeException ignored) {
                // The lease runs out by itself.
            }
            return false;
        }
    }

    /**
     * Refills an {@link Held#UNFILLED} regional Redis while the gateways go on serving from it:
     * only absent entities are written, so what it was given since wins. True when done.
     */
    public boolean refillInPlace() {
        try {
            fill();
            // XX: if it was flushed meanwhile, the marker is gone, and that loss is handled as such.
            regional.set(keys.epoch(), Instant.now().toString(), SetArgs.Builder.xx());
            return true;
        } catch (RuntimeException e) {
            warn(e);
            return false;
        }
    }

    private void fill() {
        long started = System.currentTimeMillis();
        long[] written = new long[2];
        ChangeLog.scanEntities(central.sync(), keys, settings.pageSize(), page -> {
            ChangeLog.Applied applied = ChangeLog.copy(central.async(), regionalAsync, keys, page,
                    ChangeLog.Mode.FILL_ABSENT, false, started).toCompletableFuture().join();
            written[0] += applied.applied();
            written[1] += applied.unchanged();
        });
        refills.increment();
        LOG.info("region {}: refilled the regional Redis from central: {} entities written, {} were newer there, in {} ms",
                keys.region(), written[0], written[1], System.currentTimeMillis() - started);
    }

    private void warn(RuntimeException e) {
        long now = System.currentTimeMillis();
        if (now - lastRefillWarning >= 30_000) {
            lastRefillWarning = now;
            LOG.warn("region {}: the refill of the regional Redis from central failed; trying again: {}", keys.region(), e.toString());
        }
    }
}

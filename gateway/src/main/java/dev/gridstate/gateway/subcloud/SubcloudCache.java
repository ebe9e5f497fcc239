package dev.gridstate.gateway.subcloud;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.gridstate.gateway.store.Failover;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * This replica's near cache of Subcloud definitions (never of live member status), absent ones
 * included, in front of Redis.
 *
 * <p>It serves cached copies only while {@link SubcloudInvalidations} is subscribed to the change
 * channel: before the subscription is confirmed and after the connection drops, every lookup
 * goes to Redis, and every copy is dropped when it comes back, since changes published meanwhile
 * were missed. A change dropped while its load is in flight is not cached afterwards (the entry
 * is the pending future itself), so a stale read cannot outlive an invalidation.
 *
 * <p>Nor is it used while the gateway serves from central ({@link Failover}): changes made there
 * are published on central, which no replica listens to. When the regional Redis is back, the
 * cache starts empty.
 *
 * <p>Meters (tag {@code cache=subclouds}): Micrometer's Caffeine ones, {@code cache.gets}
 * with {@code result=hit|miss}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size}, …,
 * and {@code cache.hit.ratio}.
 */
@Singleton
class SubcloudCache {

    static final String NAME = "subclouds";

    private final AsyncCache<String, Optional<Subcloud>> cache;
    private final SubcloudStore store;
    private final Failover failover;
    private volatile boolean live;
    private volatile boolean bypassed;

    SubcloudCache(SubcloudStore store, SubcloudSettings settings, Failover failover, @Nullable MeterRegistry meters) {
        this.store = store;
        this.failover = failover;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheMaxEntries())
                .expireAfterWrite(settings.cacheTtl())
                .recordStats()
                .buildAsync();
        if (meters != null) {
            CaffeineCacheMetrics.monitor(meters, cache, NAME);
            Gauge.builder("cache.hit.ratio", cache, c -> c.synchronous().stats().hitRate())
                    .tag("cache", NAME)
                    .description("Share of Subcloud definition lookups answered by this replica's near cache")
                    .register(meters);
        }
    }

    /** Every id asked for, mapped to its Subcloud or to empty; misses are loaded together in one script. */
    CompletionStage<Map<String, Optional<Subcloud>>> get(Collection<String> ids) {
        if (!live || !failover.regionalInUse()) {
            bypassed = true;
            return store.load(ids);
        }
        if (bypassed) {
            bypassed = false;
            cache.synchronous().invalidateAll();
        }
        return cache.getAll(ids, (missing, executor) -> store.load(missing).toCompletableFuture());
    }

    void invalidate(String id) {
        cache.synchronous().invalidate(id);
    }

    /** The change channel is subscribed: cache from now on, starting empty. Returns whether it was off. */
    boolean resume() {
        cache.synchronous().invalidateAll();
        boolean wasOff = !live;
        live = true;
        return wasOff;
    }

    /** The change channel is lost: stop caching until {@link #resume()}. Returns whether it was on. */
    boolean suspend() {
        boolean wasOn = live;
        live = false;
        cache.synchronous().invalidateAll();
        return wasOn;
    }

    boolean live() {
        return live;
    }

    CacheStats stats() {
        return cache.synchronous().stats();
    }
}

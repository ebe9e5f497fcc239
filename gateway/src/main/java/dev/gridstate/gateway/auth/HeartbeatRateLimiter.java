package dev.gridstate.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A heartbeat budget per node ({@code gateway.rate-limit}, 10 per second by default), so that one
 * broken or hostile agent cannot flood the region's Redis. Never blocks: a beat over the budget is
 * refused at once, and the caller answers 429 with {@link #retryAfter()}. Limiters of nodes that
 * stopped beating are dropped after {@code idle-expiry}, so memory follows the live fleet.
 */
@Singleton
public class HeartbeatRateLimiter {

    private final RateLimitSettings settings;
    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> limiters;

    @Inject
    HeartbeatRateLimiter(RateLimitSettings settings) {
        this(settings, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    HeartbeatRateLimiter(RateLimitSettings settings, Ticker ticker, Executor maintenance) {
        this.settings = settings;
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(settings.limitForPeriod())
                .limitRefreshPeriod(settings.limitRefreshPeriod())
                .timeoutDuration(Duration.ZERO)
                .build();
        this.limiters = Caffeine.newBuilder()
                .expireAfterAccess(settings.idleExpiry())
                .maximumSize(settings.maxNodes())
                .ticker(ticker)
                .executor(maintenance)
                .build();
    }

    /** Takes one heartbeat from the node's budget; false when it is spent for the current period. */
    public boolean tryAcquire(String nodeId) {
        return limiters.get(nodeId, id -> RateLimiter.of(id, config)).acquirePermission();
    }

    /** How long a refused node should wait: at most one refresh period, after which its budget is full again. */
    public Duration retryAfter() {
        return settings.limitRefreshPeriod();
    }

    /** {@link #retryAfter()} in whole seconds, at least 1, for a {@code Retry-After} header. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter().toMillis() + 999) / 1000);
    }

    /** Nodes that currently have a limiter (approximate, for metrics and tests). */
    long trackedNodes() {
        limiters.cleanUp();
        return limiters.estimatedSize();
    }
}

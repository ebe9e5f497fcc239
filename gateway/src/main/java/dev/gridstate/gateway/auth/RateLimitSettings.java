package dev.gridstate.gateway.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How often one node may heartbeat: {@code limitForPeriod} beats per {@code limitRefreshPeriod}.
 * A node's limiter is forgotten after {@code idleExpiry} without a beat; at most {@code maxNodes}
 * limiters are held (the least recently used go first).
 */
@Context
@ConfigurationProperties("gateway.rate-limit")
record RateLimitSettings(
        @Bindable(defaultValue = "10") int limitForPeriod,
        @Bindable(defaultValue = "1s") Duration limitRefreshPeriod,
        @Bindable(defaultValue = "5m") Duration idleExpiry,
        @Bindable(defaultValue = "200000") long maxNodes) {

    RateLimitSettings {
        if (limitForPeriod < 1) {
            throw new IllegalArgumentException("gateway.rate-limit.limit-for-period must be at least 1, but was "
                    + limitForPeriod);
        }
        if (limitRefreshPeriod == null || limitRefreshPeriod.toMillis() < 1) {
            throw new IllegalArgumentException("gateway.rate-limit.limit-refresh-period must be at least 1ms, but was "
                    + limitRefreshPeriod);
        }
        // a limiter forgotten within its own period would hand an exhausted node a fresh allowance
        if (idleExpiry == null || idleExpiry.compareTo(limitRefreshPeriod) <= 0) {
            throw new IllegalArgumentException("gateway.rate-limit.idle-expiry must be longer than limit-refresh-period ("
                    + limitRefreshPeriod + "), but was " + idleExpiry);
        }
        if (maxNodes < 1) {
            throw new IllegalArgumentException("gateway.rate-limit.max-nodes must be at least 1, but was " + maxNodes);
        }
    }
}

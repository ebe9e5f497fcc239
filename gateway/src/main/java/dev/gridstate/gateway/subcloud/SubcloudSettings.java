package dev.gridstate.gateway.subcloud;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How Subcloud answers are cached. Each replica keeps up to {@code cacheMaxEntries} definitions
 * for at most {@code cacheTtl} (changes also drop them at once, through Redis pub/sub); clients
 * and proxies may reuse an answer for {@code maxAge} ({@code Cache-Control: max-age}, whole
 * seconds), and revalidate it with {@code If-None-Match}.
 */
@Context
@ConfigurationProperties("gateway.subclouds")
public record SubcloudSettings(
        @Bindable(defaultValue = "10000") long cacheMaxEntries,
        @Bindable(defaultValue = "30s") Duration cacheTtl,
        @Bindable(defaultValue = "5s") Duration maxAge) {

    public SubcloudSettings {
        if (cacheMaxEntries < 1) {
            throw new IllegalArgumentException("gateway.subclouds.cache-max-entries must be at least 1, but was "
                    + cacheMaxEntries);
        }
        if (cacheTtl == null || cacheTtl.isZero() || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("gateway.subclouds.cache-ttl must be positive, but was " + cacheTtl);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("gateway.subclouds.max-age must be zero or a whole number of seconds, but was "
                    + maxAge);
        }
    }

    /** The {@code Cache-Control} value of every Subcloud answer. */
    String cacheControl() {
        return "max-age=" + maxAge.toSeconds();
    }
}

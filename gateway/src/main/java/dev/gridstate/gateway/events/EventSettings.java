package dev.gridstate.gateway.events;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The event stream of one gateway process ({@code GET /v1/events}). Checked at start-up: a bad
 * value stops the gateway with a message naming it.
 *
 * @param keepAlive      how often an idle stream gets a comment line, so proxies keep it open;
 *                       also how often stalled subscribers are looked for
 * @param maxSubscribers concurrent streams this process serves; the next one is answered 503
 * @param bufferSize     events one subscriber may have pending; past it the oldest is dropped
 * @param coalesceAfter  pending events a subscriber may fall behind by before updates to one
 *                       aspect of one node are merged into the newest (0: merge at once)
 * @param stallTimeout   a subscriber that takes nothing for this long while events wait is cut off
 * @param retryAfter     the {@code Retry-After} of a 503 when every subscriber slot is taken
 */
@Context
@ConfigurationProperties("gateway.events")
record EventSettings(
        @Bindable(defaultValue = DEFAULT_KEEP_ALIVE) Duration keepAlive,
        @Bindable(defaultValue = DEFAULT_MAX_SUBSCRIBERS) int maxSubscribers,
        @Bindable(defaultValue = DEFAULT_BUFFER_SIZE) int bufferSize,
        @Bindable(defaultValue = DEFAULT_COALESCE_AFTER) int coalesceAfter,
        @Bindable(defaultValue = DEFAULT_STALL_TIMEOUT) Duration stallTimeout,
        @Bindable(defaultValue = DEFAULT_RETRY_AFTER) Duration retryAfter) {

    static final String DEFAULT_KEEP_ALIVE = "15s";
    static final String DEFAULT_MAX_SUBSCRIBERS = "1000";
    static final String DEFAULT_BUFFER_SIZE = "10000";
    static final String DEFAULT_COALESCE_AFTER = "1000";
    static final String DEFAULT_STALL_TIMEOUT = "2m";
    static final String DEFAULT_RETRY_AFTER = "5s";

    EventSettings {
        requirePositive("keep-alive", keepAlive);
        requirePositive("stall-timeout", stallTimeout);
        requirePositive("retry-after", retryAfter);
        requireAtLeast("max-subscribers", maxSubscribers, 1);
        requireAtLeast("buffer-size", bufferSize, 1);
        requireAtLeast("coalesce-after", coalesceAfter, 0);
        if (coalesceAfter > bufferSize) {
            throw new IllegalArgumentException("gateway.events.coalesce-after must not exceed buffer-size ("
                    + bufferSize + "), but was " + coalesceAfter);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("gateway.events." + name + " must be positive, but was " + d);
        }
    }

    private static void requireAtLeast(String name, int n, int min) {
        if (n < min) {
            throw new IllegalArgumentException("gateway.events." + name + " must be at least " + min + ", but was " + n);
        }
    }
}

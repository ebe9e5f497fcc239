package dev.gridstate.gateway.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The state store's two Redis targets and their circuit breakers ({@code gateway.store.*}).
 * Both breakers share the window, the rates and the open time; each target has its own
 * timeout and slow-call threshold, since central is usually another region away.
 *
 * @param regionalTimeout  how long a state call waits for the regional Redis before it goes to central
 * @param regionalSlowCall a regional call slower than this counts as slow: failing over for
 *                         slowness pays only when central answers faster, so near central's
 *                         round trip, not a single-digit multiple of a healthy Redis's
 * @param centralTimeout   how long a state call waits for central
 * @param centralSlowCall  a central call slower than this counts as slow
 * @param keysPerTimeout   a call that names more keys than this (a batch of heartbeats) gets
 *                         proportionally more time, and its duration counts proportionally less
 * @param failureRate      percent of failed calls in the window that opens a breaker
 * @param slowCallRate     percent of slow calls in the window that opens a breaker
 * @param window           the breakers' time-based sliding window, whole seconds
 * @param minimumCalls     calls in the window before its rates count
 * @param openFor          how long a breaker stays open before probing its Redis again
 * @param probeCalls       probes in half-open state that decide whether a breaker closes
 * @param probeInterval    how often a half-open breaker's Redis is probed, and the failover loop runs
 * @param checkInterval    how often the regional Redis is checked for having lost the region,
 *                         and central for changes made there that the regional Redis lacks
 */
@ConfigurationProperties("gateway.store")
public record StoreSettings(
        @NotNull @Bindable(defaultValue = "50ms") Duration regionalTimeout,
        @NotNull @Bindable(defaultValue = "25ms") Duration regionalSlowCall,
        @NotNull @Bindable(defaultValue = "250ms") Duration centralTimeout,
        @NotNull @Bindable(defaultValue = "100ms") Duration centralSlowCall,
        @Min(1) @Bindable(defaultValue = "64") int keysPerTimeout,
        @Min(1) @Max(100) @Bindable(defaultValue = "50") int failureRate,
        @Min(1) @Max(100) @Bindable(defaultValue = "80") int slowCallRate,
        @NotNull @Bindable(defaultValue = "1s") Duration window,
        @Min(1) @Bindable(defaultValue = "20") int minimumCalls,
        @NotNull @Bindable(defaultValue = "1s") Duration openFor,
        @Min(1) @Bindable(defaultValue = "3") int probeCalls,
        @NotNull @Bindable(defaultValue = "100ms") Duration probeInterval,
        @NotNull @Bindable(defaultValue = "250ms") Duration checkInterval) {

    /** Refuses settings the breakers cannot run with, naming the setting. */
    void check() {
        if (window.toMillis() < 1000 || window.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("gateway.store.window must be a whole number of seconds, at least 1s; it is " + window);
        }
        Duration[] all = {regionalTimeout, regionalSlowCall, centralTimeout, centralSlowCall, openFor, probeInterval, checkInterval};
        for (Duration d : all) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("gateway.store timeouts, slow-call thresholds and intervals must be positive; "
                        + "one is " + d);
            }
        }
    }

    /** How many multiples of the timeout a call naming {@code keys} keys may take. */
    double allowance(int keys) {
        return Math.max(1.0, (double) keys / keysPerTimeout);
    }
}

package dev.gridstate.gateway.status;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The status page's snapshot ({@code /v1/admin/status}, its stream and {@code /status}). Checked at
 * start-up: a bad value stops the gateway with a message naming it. Snapshots are taken only while
 * someone watches; the node census alone runs always, for the node metrics ({@link NodeMetrics}).
 *
 * @param interval       how often a snapshot is taken while someone watches the stream
 * @param partTimeout    how long one part of a snapshot (a PING, a count) may take before it is
 *                       shown as unavailable; less than {@code interval}
 * @param censusRate     online nodes per second whose state is read for the counts by state, in
 *                       pages of 100 (about 1 ms of Redis time each, measured on Redis 7.0): at the
 *                       default, about 2 % of the Redis's time, and a region of 100k nodes is
 *                       counted every 50 s, while the totals per model (index sizes) are fresh in
 *                       every snapshot
 * @param flagScanRate   keys per second the flag listing walks (SCAN) through the Redis that serves
 *                       the region, in pages of 500 (about 0.5 ms each): about 1 % of its time
 * @param recentFlags    newest flags listed (the total counts them all)
 * @param deadJobs       newest dead jobs listed
 * @param maxModels      models counted, at most (by name order); the rest are summed up as a count
 * @param maxSubscribers concurrent status streams per process; the next is answered 503
 */
@Context
@ConfigurationProperties("gateway.status")
record StatusSettings(
        @Bindable(defaultValue = "1s") Duration interval,
        @Bindable(defaultValue = "800ms") Duration partTimeout,
        @Bindable(defaultValue = "2000") int censusRate,
        @Bindable(defaultValue = "10000") int flagScanRate,
        @Bindable(defaultValue = "20") int recentFlags,
        @Bindable(defaultValue = "10") int deadJobs,
        @Bindable(defaultValue = "200") int maxModels,
        @Bindable(defaultValue = "20") int maxSubscribers) {

    StatusSettings {
        if (interval == null || interval.toMillis() < 100) {
            throw new IllegalArgumentException("gateway.status.interval must be at least 100ms, but was " + interval);
        }
        if (partTimeout == null || partTimeout.toMillis() < 10 || partTimeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("gateway.status.part-timeout must be at least 10ms and less than "
                    + "gateway.status.interval (" + interval + "), but was " + partTimeout);
        }
        atLeast("census-rate", censusRate, 100);
        atLeast("flag-scan-rate", flagScanRate, 100);
        atLeast("recent-flags", recentFlags, 1);
        atLeast("dead-jobs", deadJobs, 1);
        atLeast("max-models", maxModels, 1);
        atLeast("max-subscribers", maxSubscribers, 1);
    }

    /** Entries a paced walk of {@code ratePerSecond} may look at in one snapshot. */
    int perSnapshot(int ratePerSecond) {
        return (int) Math.max(1, (long) ratePerSecond * interval.toMillis() / 1000);
    }

    private static void atLeast(String name, int n, int min) {
        if (n < min) {
            throw new IllegalArgumentException("gateway.status." + name + " must be at least " + min + ", but was " + n);
        }
    }
}

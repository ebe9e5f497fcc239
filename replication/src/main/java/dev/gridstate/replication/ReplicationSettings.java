package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one replicator does ({@code replication.*}), checked at start-up.
 *
 * @param regions          the regions whose change log this process applies (env {@code REPLICATION_REGIONS=eu-west,us-east})
 * @param exchange         the change log's topic exchange; {@link ChangeTopology#DEFAULT}'s when unset
 * @param queuePrefix      a region's queue is this plus the region; {@link ChangeTopology#DEFAULT}'s when unset
 * @param batchMaxMessages messages applied in one script call, at most
 * @param batchMaxBytes    message bytes applied in one script call, at most (a larger message goes alone):
 *                         central runs nothing else while the script runs
 * @param prefetch         unacknowledged messages the broker hands this process per region
 * @param applyTimeout     how long one apply call may wait for central before it counts as failed and is retried
 * @param waitingRefresh   how often the ready messages of each queue are counted (and lost subscriptions renewed)
 * @param shutdownGrace    how long a stopping replicator lets an in-flight batch finish before abandoning it
 */
@Context
@ConfigurationProperties("replication")
public record ReplicationSettings(
        @Nullable List<String> regions,
        @Nullable String exchange,
        @Nullable String queuePrefix,
        @Bindable(defaultValue = "64") int batchMaxMessages,
        @ReadableBytes @Bindable(defaultValue = "4MB") long batchMaxBytes,
        @Bindable(defaultValue = "256") int prefetch,
        @Bindable(defaultValue = "3s") Duration applyTimeout,
        @Bindable(defaultValue = "1s") Duration waitingRefresh,
        @Bindable(defaultValue = "2s") Duration shutdownGrace) {

    /** A region name, as it appears in keys ({@code {eu-west}:}) and queue names. */
    public static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The broker's limit on prefetch (a 16-bit count). */
    static final int MAX_PREFETCH = 65_535;

    public ReplicationSettings {
        regions = checkRegions(regions);
        exchange = exchange == null ? ChangeTopology.DEFAULT.exchange() : Checks.notBlank("replication.exchange", exchange);
        queuePrefix = queuePrefix == null ? ChangeTopology.DEFAULT.queuePrefix()
                : Checks.notBlank("replication.queue-prefix", queuePrefix);
        Checks.between("replication.prefetch", prefetch, 1, MAX_PREFETCH);
        Checks.between("replication.batch-max-messages", batchMaxMessages, 1, prefetch);
        if (batchMaxBytes < 1) {
            throw new ConfigurationException("replication.batch-max-bytes must be positive (e.g. 4MB), but was "
                    + batchMaxBytes);
        }
        Checks.positive("replication.apply-timeout", applyTimeout);
        Checks.positive("replication.waiting-refresh", waitingRefresh);
        Checks.positive("replication.shutdown-grace", shutdownGrace);
    }

    public ChangeTopology topology() {
        return new ChangeTopology(exchange, queuePrefix);
    }

    private static List<String> checkRegions(List<String> regions) {
        if (regions == null || regions.isEmpty()) {
            throw new ConfigurationException("replication.regions names no region: set it to the regions to replicate,"
                    + " e.g. REPLICATION_REGIONS=eu-west,us-east");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < regions.size(); i++) {
            String region = regions.get(i);
            if (region == null || !REGION.matcher(region).matches()) {
                throw new ConfigurationException("replication.regions[" + i + "] must match " + REGION.pattern()
                        + ", but was '" + region + "'");
            }
            if (!seen.add(region)) {
                throw new ConfigurationException("replication.regions names '" + region + "' twice");
            }
        }
        return List.copyOf(regions);
    }
}

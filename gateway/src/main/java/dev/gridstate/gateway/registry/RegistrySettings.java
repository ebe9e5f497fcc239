package dev.gridstate.gateway.registry;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How nodes stay online. A node is offline once {@code heartbeatTtl} passed since its last
 * heartbeat; it is told to beat every {@code heartbeatInterval}, so a few lost beats are
 * tolerated. The sweep takes expired nodes out of the indexes every {@code sweepInterval}.
 */
@Context
@ConfigurationProperties("gateway.registry")
public record RegistrySettings(
        @Bindable(defaultValue = "5s") Duration heartbeatInterval,
        @Bindable(defaultValue = "15s") Duration heartbeatTtl,
        @Bindable(defaultValue = "250ms") Duration sweepInterval,
        @Bindable(defaultValue = "1000") int sweepBatch,
        @Bindable(defaultValue = "24h") Duration offlineRetention,
        @Bindable(defaultValue = "1000") int maxBatch,
        @Bindable(defaultValue = "10000") int queryScanCap,
        @Bindable(defaultValue = "4") int maxBatchesInFlight) {

    public RegistrySettings {
        requirePositive("heartbeat-interval", heartbeatInterval);
        requirePositive("sweep-interval", sweepInterval);
        requirePositive("offline-retention", offlineRetention);
        if (heartbeatTtl == null || heartbeatTtl.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("gateway.registry.heartbeat-ttl must be longer than heartbeat-interval ("
                    + heartbeatInterval + "), but was " + heartbeatTtl);
        }
        requireAtLeastOne("sweep-batch", sweepBatch);
        requireAtLeastOne("max-batch", maxBatch);
        requireAtLeastOne("query-scan-cap", queryScanCap);
        requireAtLeastOne("max-batches-in-flight", maxBatchesInFlight);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("gateway.registry." + name + " must be positive, but was " + d);
        }
    }

    private static void requireAtLeastOne(String name, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("gateway.registry." + name + " must be at least 1, but was " + n);
        }
    }
}

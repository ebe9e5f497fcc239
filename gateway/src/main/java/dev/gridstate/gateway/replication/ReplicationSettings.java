package dev.gridstate.gateway.replication;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The change log from this region to central ({@code gateway.replication.*}).
 *
 * @param enabled           off only for a gateway without central (tests of other parts)
 * @param exchange          the topic exchange of the change log
 * @param queuePrefix       the region's queue is this plus the region
 * @param flushInterval     how long a registration, flag or Subcloud change waits before it is exported
 * @param heartbeatWindow   heartbeats of a node within this window are one export of its newest state
 * @param pageSize          entities per message
 * @param bufferMessages    messages waiting for the broker; when full, changes are dropped and a resync repairs them
 * @param confirmTimeout    how long a publish waits for the broker's confirm
 * @param resyncInterval    how often the whole region is pushed to central (anti-entropy); 0 for never
 * @param writeThroughTimeout how long a durable admin change waits to be on central or in the broker
 */
@ConfigurationProperties("gateway.replication")
public record ReplicationSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @NotBlank @Bindable(defaultValue = "gridstate.changes") String exchange,
        @NotBlank @Bindable(defaultValue = "gridstate.changes.") String queuePrefix,
        @NotNull @Bindable(defaultValue = "100ms") Duration flushInterval,
        @NotNull @Bindable(defaultValue = "1s") Duration heartbeatWindow,
        @Min(1) @Max(1000) @Bindable(defaultValue = "200") int pageSize,
        @Min(1) @Bindable(defaultValue = "5000") int bufferMessages,
        @NotNull @Bindable(defaultValue = "5s") Duration confirmTimeout,
        @NotNull @Bindable(defaultValue = "10m") Duration resyncInterval,
        @NotNull @Bindable(defaultValue = "3s") Duration writeThroughTimeout) {
}

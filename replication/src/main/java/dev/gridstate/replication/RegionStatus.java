package dev.gridstate.replication;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One region as this replicator sees it ({@code GET /v1/replication}).
 *
 * @param consuming  subscribed to the region's queue on an open channel (active or standing by)
 * @param active     true once the broker delivered to this process on its current subscription: with a
 *                   single active consumer that makes it the active one. Absent when that is not known
 *                   (standing by, or active on an empty queue: the broker does not tell AMQP 0-9-1 consumers)
 * @param waiting    messages ready in the queue (counted about once a second) plus those delivered here and
 *                   not yet applied
 * @param lastAppliedVersion the newest version central applied for the region (decimal, as in the messages)
 * @param lastAppliedAt      when the last batch was applied (ISO-8601)
 * @param lagP50Ms   lag percentiles and maximum over the last few minutes: from a message's oldest change
 *                   ({@code since}) to central having it
 */
@Serdeable
@Schema(name = "RegionStatus")
public record RegionStatus(String region, String queue, boolean consuming, @Nullable Boolean active, long waiting,
                           long appliedMessages, long appliedEntities, long unchangedEntities, long rejectedMessages,
                           long applyRetries, @Nullable String lastAppliedVersion, @Nullable String lastAppliedAt,
                           @Nullable Double lagP50Ms, @Nullable Double lagP99Ms, @Nullable Double lagMaxMs) {
}

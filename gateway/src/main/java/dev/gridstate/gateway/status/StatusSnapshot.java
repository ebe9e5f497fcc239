package dev.gridstate.gateway.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.replication.Resync;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * What the status page shows, as one JSON document. Each part stands alone: one that could not be
 * read carries {@code error} (why) and whatever it still knows, and the others are unaffected.
 * Times are epoch milliseconds.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusSnapshot(String region, long at, long intervalMs, Store store, Broker broker, Replication replication,
                      Nodes nodes, Flags flags, DeadJobs deadJobs) {

    /** Where state calls go, and each Redis with its breaker. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Store(String serving, boolean regionalInUse, List<Redis> redis) {
    }

    /** {@code status} UP or DOWN by a PING over the gateway's own connection; {@code breaker} as resilience4j names it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Redis(String name, String status, Double pingMs, String breaker, float failureRate, float slowCallRate,
                 int bufferedCalls, long notPermittedCalls, String error) {
    }

    /** The broker as {@code /health} sees it, and the change log's own publisher connection. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Broker(String status, String version, String changeLog, String error) {
    }

    /** The gateway's side of the change log, and how far central trails the region's clock. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Replication(boolean enabled, boolean brokerConnected, long pendingEntities, long outboxMessages,
                       long droppedMessages, Long lastConfirmedAt, Long centralAppliedAt, Long centralBehindMs,
                       Resync.Result lastResync, String error) {
    }

    /**
     * Online nodes: {@code online} and each model's {@code online} and {@code ready} (idle, routable,
     * unclaimed) are index sizes read for this snapshot, from {@code source}; the counts by state
     * come from the newest complete census, null before the first.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Nodes(String source, Long online, Map<String, Long> states, List<ModelCount> models, Integer modelsNotShown,
                 Census census, String error) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelCount(String model, Long online, Long ready, Long idle, Long busy, Long draining, Long other) {
    }

    /**
     * The walk that counts nodes by state: {@code countedAt} and {@code tookMs} of the newest complete
     * one (null before the first), {@code progress} of the one under way (nodes looked at so far).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Census(Long countedAt, Long tookMs, long nodes, long progress) {
    }

    /** Every admin flag in the region (a walk like the census), the newest listed. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Flags(Long total, Map<String, Long> byKind, List<Flag> recent, Long scannedAt, String error) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Flag(String nodeId, String kind, String reason, String notice, Long setAt, Long until) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeadJobs(Long total, List<DeadJob> recent, String error) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeadJob(String jobId, String model, Long attempt, Long maxAttempts, String reason, Long diedAt) {
    }
}

package dev.gridstate.gateway.status;

import dev.gridstate.gateway.replication.ChangeLogStatus;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;

/**
 * The gateway's side of the change log (what {@code GET /v1/admin/replication} reports) and how far
 * central trails: the region's clock on the regional Redis against the newest version central
 * applied. A Redis that does not answer leaves the lag unknown, with the reason.
 */
@Singleton
class ReplicationProbe {

    private final ChangeLogStatus changeLog;
    private final StatusSettings status;

    ReplicationProbe(ChangeLogStatus changeLog, StatusSettings status) {
        this.changeLog = changeLog;
        this.status = status;
    }

    CompletableFuture<StatusSnapshot.Replication> probe() {
        return changeLog.read(status.partTimeout()).toCompletableFuture().thenApply(v -> new StatusSnapshot.Replication(
                v.enabled(), v.brokerConnected(), v.pendingEntities(), v.outboxMessages(), v.droppedMessages(),
                v.lastConfirmedAt(), v.central().centralAppliedAt(), v.central().behindMs(), v.lastResync(),
                v.central().error()));
    }
}

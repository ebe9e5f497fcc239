package dev.gridstate.gateway.status;

import dev.gridstate.gateway.replication.CentralLag;
import dev.gridstate.gateway.replication.ChangePublisher;
import dev.gridstate.gateway.replication.ChangeTracker;
import dev.gridstate.gateway.replication.Outbox;
import dev.gridstate.gateway.replication.ReplicationSettings;
import dev.gridstate.gateway.replication.Resync;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;

/**
 * The gateway's side of the change log (what {@code GET /v1/admin/replication} reports) and how far
 * central trails: the region's clock on the regional Redis against the newest version central
 * applied. A Redis that does not answer leaves the lag unknown, with the reason.
 */
@Singleton
class ReplicationProbe {

    private final ReplicationSettings settings;
    private final ChangeTracker tracker;
    private final Outbox outbox;
    private final ChangePublisher publisher;
    private final Resync resync;
    private final CentralLag lag;
    private final StatusSettings status;

    ReplicationProbe(ReplicationSettings settings, ChangeTracker tracker, Outbox outbox, ChangePublisher publisher,
                     Resync resync, CentralLag lag, StatusSettings status) {
        this.settings = settings;
        this.tracker = tracker;
        this.outbox = outbox;
        this.publisher = publisher;
        this.resync = resync;
        this.lag = lag;
        this.status = status;
    }

    CompletableFuture<StatusSnapshot.Replication> probe() {
        return lag.read(status.partTimeout()).toCompletableFuture().thenApply(r -> {
            long confirmed = publisher.lastConfirmedAt();
            return new StatusSnapshot.Replication(settings.enabled(), publisher.connected(), tracker.pending(), outbox.size(),
                    outbox.dropped(), confirmed == 0 ? null : confirmed, r.centralAppliedAt(), r.behindMs(),
                    resync.last(), r.error());
        });
    }
}

package dev.gridstate.gateway.replication;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's side of the change log in one reading: what waits to be exported and sent, the
 * broker connection, the last confirm and resync, and how far central trails. Read by
 * {@code GET /v1/admin/replication} and by the status page, each with its own wait for the two Redis.
 */
@Singleton
public class ChangeLogStatus {

    /**
     * @param lastConfirmedAt when the broker last confirmed a message (ms); null before the first
     * @param central         how far central trails, and why a part of that is unknown
     */
    public record View(boolean enabled, boolean brokerConnected, long pendingEntities, long outboxMessages,
                       long droppedMessages, @Nullable Long lastConfirmedAt, CentralLag.Reading central,
                       @Nullable Resync.Result lastResync) {
    }

    private final ReplicationSettings settings;
    private final ChangeTracker tracker;
    private final Outbox outbox;
    private final ChangePublisher publisher;
    private final Resync resync;
    private final CentralLag lag;

    ChangeLogStatus(ReplicationSettings settings, ChangeTracker tracker, Outbox outbox, ChangePublisher publisher,
                    Resync resync, CentralLag lag) {
        this.settings = settings;
        this.tracker = tracker;
        this.outbox = outbox;
        this.publisher = publisher;
        this.resync = resync;
        this.lag = lag;
    }

    /** Never fails: a Redis that does not answer within {@code timeout} leaves its part of {@link View#central()} null. */
    public CompletionStage<View> read(Duration timeout) {
        return lag.read(timeout).thenApply(central -> {
            long confirmed = publisher.lastConfirmedAt();
            return new View(settings.enabled(), publisher.connected(), tracker.pending(), outbox.size(), outbox.dropped(),
                    confirmed == 0 ? null : confirmed, central, resync.last());
        });
    }
}

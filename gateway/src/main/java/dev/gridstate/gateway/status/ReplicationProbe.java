package dev.gridstate.gateway.status;

import dev.gridstate.gateway.replication.ChangePublisher;
import dev.gridstate.gateway.replication.ChangeTracker;
import dev.gridstate.gateway.replication.Outbox;
import dev.gridstate.gateway.replication.ReplicationSettings;
import dev.gridstate.gateway.replication.Resync;
import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.state.Keys;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final Keys keys;
    private final RedisAsyncCommands<String, String> regional;
    private final CentralRedis central;
    private final StatusSettings status;

    ReplicationProbe(ReplicationSettings settings, ChangeTracker tracker, Outbox outbox, ChangePublisher publisher,
                     Resync resync, Keys keys, @Named("regional") StatefulRedisConnection<String, String> regional,
                     CentralRedis central, StatusSettings status) {
        this.settings = settings;
        this.tracker = tracker;
        this.outbox = outbox;
        this.publisher = publisher;
        this.resync = resync;
        this.keys = keys;
        this.regional = regional.async();
        this.central = central;
        this.status = status;
    }

    CompletableFuture<StatusSnapshot.Replication> probe() {
        CompletableFuture<Parts.Reading<String>> clock =
                Parts.reading(Parts.call(() -> regional.get(keys.clock())), status.partTimeout());
        CompletableFuture<Parts.Reading<Map<String, String>>> applied =
                Parts.reading(Parts.call(() -> central.async().hgetall(keys.applied())), status.partTimeout());
        return clock.thenCombine(applied, (regionClock, onCentral) -> {
            List<String> errors = new ArrayList<>();
            if (regionClock.error() != null) {
                errors.add("the regional Redis did not give the region's clock (" + regionClock.error() + ")");
            }
            if (onCentral.error() != null) {
                errors.add("central did not say what it applied (" + onCentral.error() + ")");
            }
            Map<String, String> centralApplied = onCentral.value() == null ? Map.of() : onCentral.value();
            String centralVersion = centralApplied.get("version");
            Long behind = regionClock.value() == null || centralVersion == null ? null
                    : Math.max(0, (Long.parseLong(regionClock.value()) - Long.parseLong(centralVersion)) / 1000);
            long confirmed = publisher.lastConfirmedAt();
            return new StatusSnapshot.Replication(settings.enabled(), publisher.connected(), tracker.pending(), outbox.size(),
                    outbox.dropped(), confirmed == 0 ? null : confirmed, number(centralApplied.get("at")), behind,
                    resync.last(), errors.isEmpty() ? null : String.join("; ", errors));
        });
    }

    private static Long number(String s) {
        return s == null || s.isEmpty() ? null : Long.valueOf(s);
    }
}

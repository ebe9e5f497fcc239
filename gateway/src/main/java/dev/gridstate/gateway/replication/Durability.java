package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.ChangeMessage;
import dev.gridstate.state.Keys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Write-through of durable admin state (freeze and shadow-ban flags, Subclouds): after the
 * regional write, the entity's new state goes straight to central and into the change log at
 * once. The answer waits until it is on central (AOF) or confirmed by the broker (a quorum
 * queue), so a Redis lost right after the answer loses nothing.
 */
@Singleton
public class Durability {

    private final ReplicationSettings settings;
    private final Outbox outbox;
    private final Keys keys;
    private final RedisClusterAsyncCommands<String, String> regional;
    private final CentralRedis central;

    Durability(ReplicationSettings settings, Outbox outbox, Keys keys,
               RegionalRedis regional, CentralRedis central) {
        this.settings = settings;
        this.outbox = outbox;
        this.keys = keys;
        this.regional = regional.async();
        this.central = central;
    }

    /**
     * Completes when {@code entityKey}'s current state, written on {@code where}, is durable;
     * fails with a 503 {@link ApiException} if it is not in time. A change made on central is
     * durable already (central's AOF is written before it answers).
     */
    public CompletionStage<Void> writeThrough(String entityKey, Source where) {
        return writeThrough(entityKey, where, export -> true);
    }

    /**
     * {@link #writeThrough(String, Source)} of a state the caller saw on {@code where} and acts
     * on once it is durable: the regional export must still show it ({@code shows}), or the call
     * fails and nothing is sent. A regional Redis lost and refilled between the caller's read and
     * this export no longer holds what was read, and sending what it holds instead would make
     * the wrong state durable.
     */
    public CompletionStage<Void> writeThrough(String entityKey, Source where, Predicate<ChangeLog.Export> shows) {
        if (!settings.enabled() || where == Source.CENTRAL) {
            return CompletableFuture.completedFuture(null);
        }
        return ChangeLog.exportHeld(regional, keys, List.of(entityKey)).thenCompose(export -> {
            if (!shows.test(export)) {
                return CompletableFuture.failedFuture(new NoLongerShown(entityKey));
            }
            ChangeMessage message = ChangeMessage.changes(keys.region(), export, System.currentTimeMillis());
            Outbox.Outgoing outgoing = Outbox.Outgoing.of(message);
            outbox.offer(outgoing);
            CompletableFuture<Void> onCentral;
            try {
                onCentral = ChangeLog.apply(central.async(), keys, ChangeLog.Mode.NEWEST_WINS,
                        List.of(message.toJson())).toCompletableFuture().thenApply(applied -> null);
            } catch (RuntimeException unreachable) {
                onCentral = CompletableFuture.failedFuture(unreachable);
            }
            return firstSuccess(onCentral, outgoing.confirmed());
        }).toCompletableFuture()
                .orTimeout(settings.writeThroughTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        StateStore.unwrap(error) instanceof NoLongerShown changed ? changed : new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE, "not_durable",
                        "the change is made in the region, but neither central nor the broker took it within "
                                + settings.writeThroughTimeout().toMillis() + " ms; it replicates when they are back, "
                                + "and repeating the request is safe", null)));
    }

    /** The regional Redis no longer shows the state a caller read there: nothing was sent. */
    public static final class NoLongerShown extends RuntimeException {
        NoLongerShown(String entityKey) {
            super(entityKey + " changed on the regional Redis since it was read; nothing was sent");
        }
    }

    private static CompletableFuture<Void> firstSuccess(CompletableFuture<Void> a, CompletableFuture<Void> b) {
        CompletableFuture<Void> first = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        for (CompletableFuture<Void> f : List.of(a, b)) {
            f.whenComplete((ok, error) -> {
                if (error == null) {
                    first.complete(null);
                } else if (failed.incrementAndGet() == 2) {
                    first.completeExceptionally(error);
                }
            });
        }
        return first;
    }
}

package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.Periodic;
import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.state.Keys;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * How far central trails this region: the region's change clock against the newest version the
 * replicator applied on central. Read on demand (the replication status) and every
 * {@value #SAMPLE_SECONDS} s for the gauge {@code gateway.replication.central.behind} (seconds;
 * NaN while either Redis does not answer), which an alert can watch in every region.
 */
/* Context: the gauge is sampled from the start, not from the first status request. */
@Context
class CentralLag {

    private static final long READ_MS = 1_000;
    private static final long SAMPLE_SECONDS = 5;

    /** A reading; null fields are unknown (that Redis did not answer, or central has nothing of the region yet). */
    record Reading(@Nullable String regionVersion, @Nullable String centralVersion, @Nullable Long centralAppliedAt,
                   @Nullable Long behindMs) {
    }

    private final Keys keys;
    private final RedisAsyncCommands<String, String> regional;
    private final CentralRedis central;
    private final Periodic sampling;
    private volatile double behindSeconds = Double.NaN;

    CentralLag(Keys keys, @Named("regional") StatefulRedisConnection<String, String> regional, CentralRedis central,
               MeterRegistry metrics, TaskScheduler scheduler) {
        this.keys = keys;
        this.regional = regional.async();
        this.central = central;
        Gauge.builder("gateway.replication.central.behind", () -> behindSeconds).baseUnit("seconds")
                .description("how far central's copy of the region trails the region's newest change").register(metrics);
        this.sampling = Periodic.every(scheduler, "central lag", Duration.ofSeconds(SAMPLE_SECONDS),
                Duration.ofSeconds(SAMPLE_SECONDS), this::sample);
    }

    CompletionStage<Reading> read() {
        CompletableFuture<String> regionClock = regional.get(keys.clock()).toCompletableFuture()
                .completeOnTimeout(null, READ_MS, TimeUnit.MILLISECONDS).exceptionally(e -> null);
        CompletableFuture<Map<String, String>> applied;
        try {
            applied = central.async().hgetall(keys.applied()).toCompletableFuture();
        } catch (RuntimeException unreachable) {
            applied = CompletableFuture.failedFuture(unreachable);
        }
        applied = applied.completeOnTimeout(null, READ_MS, TimeUnit.MILLISECONDS).exceptionally(e -> null);
        return regionClock.thenCombine(applied, (clock, onCentral) -> {
            String centralVersion = onCentral == null ? null : onCentral.get("version");
            Long appliedAt = onCentral == null || onCentral.get("at") == null ? null : Long.valueOf(onCentral.get("at"));
            // Versions are the region clock's microseconds.
            Long behind = clock == null || centralVersion == null ? null
                    : Math.max(0, (Long.parseLong(clock) - Long.parseLong(centralVersion)) / 1000);
            return new Reading(clock, centralVersion, appliedAt, behind);
        });
    }

    private void sample() {
        read().thenAccept(r -> behindSeconds = r.behindMs() == null ? Double.NaN : r.behindMs() / 1000.0);
    }

    @PreDestroy
    void stop() {
        sampling.close();
    }
}

package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.Periodic;
import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.Keys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How far central trails this region: the region's change clock against the newest version the
 * replicator applied on central. Read on demand (the replication status, the status page) and
 * every {@value #SAMPLE_SECONDS} s for the gauge {@code gateway.replication.central.behind}
 * (seconds; NaN while either Redis does not answer), which an alert can watch in every region.
 */
/* Context: the gauge is sampled from the start, not from the first status request. */
@Context
public class CentralLag {

    private static final Duration SAMPLE_READ = Duration.ofSeconds(1);
    private static final long SAMPLE_SECONDS = 5;

    /**
     * A reading; null fields are unknown, and {@code error} says why when a Redis did not answer.
     *
     * @param regionVersion    the region's change clock (microseconds)
     * @param centralVersion   the newest version of the region central applied
     * @param centralAppliedAt when central applied it (ms since the epoch)
     * @param behindMs         how far central's version trails the region's clock
     */
    public record Reading(@Nullable String regionVersion, @Nullable String centralVersion, @Nullable Long centralAppliedAt,
                          @Nullable Long behindMs, @Nullable String error) {
    }

    private final Keys keys;
    private final RedisClusterAsyncCommands<String, String> regional;
    private final CentralRedis central;
    private final Periodic sampling;
    private volatile double behindSeconds = Double.NaN;

    CentralLag(Keys keys, RegionalRedis regional, CentralRedis central,
               MeterRegistry metrics, TaskScheduler scheduler) {
        this.keys = keys;
        this.regional = regional.async();
        this.central = central;
        Gauge.builder("gateway.replication.central.behind", () -> behindSeconds).baseUnit("seconds")
                .description("how far central's copy of the region trails the region's newest change").register(metrics);
        this.sampling = Periodic.every(scheduler, "central lag", Duration.ofSeconds(SAMPLE_SECONDS),
                Duration.ofSeconds(SAMPLE_SECONDS), this::sample);
    }

    /** Both Redis servers at once, each within {@code timeout}; never fails. */
    public CompletionStage<Reading> read(Duration timeout) {
        CompletableFuture<Answer<String>> clock = answer(() -> regional.get(keys.clock()), timeout);
        CompletableFuture<Answer<Map<String, String>>> applied = answer(() -> central.async().hgetall(keys.applied()), timeout);
        return clock.thenCombine(applied, (regionClock, onCentral) -> {
            List<String> errors = new ArrayList<>(2);
            if (regionClock.error() != null) {
                errors.add("the regional Redis did not give the region's clock (" + regionClock.error() + ")");
            }
            if (onCentral.error() != null) {
                errors.add("central did not say what it applied (" + onCentral.error() + ")");
            }
            Map<String, String> centralApplied = onCentral.value() == null ? Map.of() : onCentral.value();
            String centralVersion = centralApplied.get("version");
            String appliedAt = centralApplied.get("at");
            // Versions are the region clock's microseconds.
            Long behind = regionClock.value() == null || centralVersion == null ? null
                    : Math.max(0, (Long.parseLong(regionClock.value()) - Long.parseLong(centralVersion)) / 1000);
            return new Reading(regionClock.value(), centralVersion, appliedAt == null || appliedAt.isEmpty() ? null
                    : Long.valueOf(appliedAt), behind, errors.isEmpty() ? null : String.join("; ", errors));
        });
    }

    private record Answer<T>(T value, String error) {
    }

    private static <T> CompletableFuture<Answer<T>> answer(Supplier<CompletionStage<T>> call, Duration timeout) {
        CompletableFuture<T> asked;
        try {
            asked = call.get().toCompletableFuture();
        } catch (RuntimeException notConnected) {
            asked = CompletableFuture.failedFuture(notConnected);
        }
        return asked.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((value, e) -> e == null ? new Answer<>(value, null) : new Answer<>(null, reason(e, timeout)));
    }

    private static String reason(Throwable e, Duration timeout) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private void sample() {
        read(SAMPLE_READ).thenAccept(r -> behindSeconds = r.behindMs() == null ? Double.NaN : r.behindMs() / 1000.0);
    }

    @PreDestroy
    void stop() {
        sampling.close();
    }
}

package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.gateway.store.Failover;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.StoreBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Each Redis as the gateway reaches it: a PING over the connection state calls use, and its
 * breaker's state and rates; and which of the two state calls go to now.
 */
@Singleton
class RedisProbe {

    private final Supplier<CompletionStage<?>> regional;
    private final CentralRedis central;
    private final StoreBreakers breakers;
    private final Failover failover;
    private final StatusSettings settings;

    RedisProbe(RegionalRedis regional, CentralRedis central,
               StoreBreakers breakers, Failover failover, StatusSettings settings) {
        this.regional = regional::ping;
        this.central = central;
        this.breakers = breakers;
        this.failover = failover;
        this.settings = settings;
    }

    CompletableFuture<StatusSnapshot.Store> probe() {
        CompletableFuture<StatusSnapshot.Redis> r = ping(Source.REGIONAL, regional);
        CompletableFuture<StatusSnapshot.Redis> c = ping(Source.CENTRAL, () -> central.async().ping());
        return r.thenCombine(c, (a, b) -> new StatusSnapshot.Store(failover.serving().wire(), failover.regionalInUse(),
                List.of(a, b)));
    }

    private CompletableFuture<StatusSnapshot.Redis> ping(Source source, Supplier<CompletionStage<?>> redis) {
        long start = System.nanoTime();
        CompletableFuture<Double> took = Parts.call(redis::get)
                .thenApply(pong -> (System.nanoTime() - start) / 1e6).toCompletableFuture();
        return Parts.within(took.thenApply(ms -> view(source, ms, null)), settings.partTimeout(),
                why -> view(source, null, "PING: " + why));
    }

    private StatusSnapshot.Redis view(Source source, Double pingMs, String error) {
        CircuitBreaker breaker = breakers.of(source);
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return new StatusSnapshot.Redis(source.wire(), error == null ? "UP" : "DOWN",
                pingMs == null ? null : Math.round(pingMs * 100) / 100.0, breaker.getState().name(), m.getFailureRate(),
                m.getSlowCallRate(), m.getNumberOfBufferedCalls(), m.getNumberOfNotPermittedCalls(), error);
    }
}

package dev.gridstate.gateway.ops;

import dev.gridstate.gateway.GatewayConfig;
import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.gateway.store.Failover;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.StoreBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The state store as operators need to see it: which Redis answers state calls now, and for
 * each of the two, a PING over the connection the gateway itself uses, its breaker's state
 * and failure and slow-call rates. UP while state calls have somewhere to go: the regional
 * Redis in use, or central reachable with its breaker not open. A gateway serving from
 * central is UP (it answers), with {@code serving: central} and the regional Redis DOWN.
 *
 * <p>Replaces micronaut-redis's indicator, which also builds and pings a default client on
 * 127.0.0.1:6379 that the gateway never uses (see application.yml, redis.health.enabled).
 */
@Singleton
class RedisHealthIndicator implements HealthIndicator {

    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

    private final Map<Source, Supplier<CompletionStage<?>>> targets = new LinkedHashMap<>();
    private final StoreBreakers breakers;
    private final Failover failover;
    private final String region;

    /** Central through {@link CentralRedis}: while it is not connected, it is DOWN at once, with no wait for a connect. */
    RedisHealthIndicator(RegionalRedis regional, CentralRedis central,
                         StoreBreakers breakers, Failover failover, GatewayConfig config) {
        targets.put(Source.REGIONAL, regional::ping);
        targets.put(Source.CENTRAL, () -> central.async().ping());
        this.breakers = breakers;
        this.failover = failover;
        this.region = config.region();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.zip(targets.entrySet().stream().map(e -> ping(e.getKey(), e.getValue())).toList(), results -> {
            Source serving = failover.serving();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("serving", serving.wire());
            for (Object r : results) {
                HealthResult result = (HealthResult) r;
                details.put(result.getName(), result);
            }
            // Results come in the order of targets: regional, then central.
            boolean regionalUp = ((HealthResult) results[0]).getStatus().equals(HealthStatus.UP);
            boolean centralUp = ((HealthResult) results[1]).getStatus().equals(HealthStatus.UP);
            boolean up = regionalUp && failover.regionalInUse()
                    || centralUp && breakers.central().getState() != CircuitBreaker.State.OPEN;
            return HealthResult.builder("redis", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
        });
    }

    private Mono<HealthResult> ping(Source source, Supplier<CompletionStage<?>> commands) {
        return Mono.fromCompletionStage(commands::get)
                .timeout(PING_TIMEOUT)
                .map(pong -> HealthResult.builder(source.wire(), HealthStatus.UP).details(details(source, null)).build())
                .onErrorResume(e -> Mono.just(HealthResult.builder(source.wire(), HealthStatus.DOWN)
                        .details(details(source, String.valueOf(e.getMessage()))).build()));
    }

    private Map<String, Object> details(Source source, String error) {
        CircuitBreaker breaker = breakers.of(source);
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("region", region);
        details.put("breaker", breaker.getState().name().toLowerCase());
        details.put("failureRate", metrics.getFailureRate());
        details.put("slowCallRate", metrics.getSlowCallRate());
        details.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        if (source == Source.REGIONAL) {
            details.put("inUse", failover.regionalInUse());
        }
        if (error != null) {
            details.put("error", error);
        }
        return details;
    }
}

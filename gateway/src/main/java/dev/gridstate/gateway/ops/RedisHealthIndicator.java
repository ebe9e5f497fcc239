package dev.gridstate.gateway.ops;

import dev.gridstate.gateway.GatewayConfig;
import dev.gridstate.gateway.store.CentralRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * PINGs the region's two Redis targets over the connections the gateway itself uses.
 * Replaces micronaut-redis's indicator, which also builds and pings a default client on
 * 127.0.0.1:6379 that the gateway never uses (see application.yml, redis.health.enabled).
 */
@Singleton
class RedisHealthIndicator implements HealthIndicator {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, Supplier<RedisAsyncCommands<String, String>>> targets = new LinkedHashMap<>();
    private final String region;

    /** Central through {@link CentralRedis}: while it is not connected, it is DOWN at once, with no wait for a connect. */
    RedisHealthIndicator(@Named("regional") StatefulRedisConnection<String, String> regional, CentralRedis central,
                         GatewayConfig config) {
        targets.put("regional", regional::async);
        targets.put("central", central::async);
        this.region = config.region();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.zip(targets.entrySet().stream().map(e -> ping(e.getKey(), e.getValue())).toList(), results -> {
            Map<String, Object> details = new LinkedHashMap<>();
            HealthStatus status = HealthStatus.UP;
            for (Object r : results) {
                HealthResult result = (HealthResult) r;
                details.put(result.getName(), result);
                if (result.getStatus().equals(HealthStatus.DOWN)) {
                    status = HealthStatus.DOWN;
                }
            }
            return HealthResult.builder("redis", status).details(details).build();
        });
    }

    private Mono<HealthResult> ping(String name, Supplier<RedisAsyncCommands<String, String>> commands) {
        return Mono.fromCompletionStage(() -> commands.get().ping())
                .timeout(PING_TIMEOUT)
                .map(pong -> HealthResult.builder(name, HealthStatus.UP)
                        .details(Map.of("region", region)).build())
                .onErrorResume(e -> Mono.just(HealthResult.builder(name, HealthStatus.DOWN)
                        .details(Map.of("region", region, "error", String.valueOf(e.getMessage()))).build()));
    }
}

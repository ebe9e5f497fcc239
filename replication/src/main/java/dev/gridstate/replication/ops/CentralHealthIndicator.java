package dev.gridstate.replication.ops;

import dev.gridstate.replication.central.CentralStore;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Map;

/** {@code central}: PINGs central Redis over the connection the appliers use. */
@Singleton
class CentralHealthIndicator implements HealthIndicator {

    private final CentralStore central;

    CentralHealthIndicator(CentralStore central) {
        this.central = central;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromFuture(central::ping)
                .map(pong -> HealthResult.builder("central", HealthStatus.UP).build())
                .onErrorResume(e -> Mono.just(HealthResult.builder("central", HealthStatus.DOWN)
                        .details(Map.of("error", String.valueOf(e.getMessage()))).build()));
    }
}

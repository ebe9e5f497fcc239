package dev.gridstate.replication.ops;

import dev.gridstate.replication.RegionStatus;
import dev.gridstate.replication.Replicator;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code rabbitmq}: UP while connected and subscribed to every region's queue (active or standing by). */
@Singleton
class BrokerHealthIndicator implements HealthIndicator {

    private final Replicator replicator;

    BrokerHealthIndicator(Replicator replicator) {
        this.replicator = replicator;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("broker", replicator.broker().where());
        details.put("connected", replicator.broker().isOpen());
        for (RegionStatus region : replicator.status()) {
            details.put(region.queue(), region.consuming() ? "consuming" : "not subscribed");
        }
        HealthStatus status = replicator.consumingAll() ? HealthStatus.UP : HealthStatus.DOWN;
        return Mono.just(HealthResult.builder("rabbitmq", status).details(details).build());
    }
}

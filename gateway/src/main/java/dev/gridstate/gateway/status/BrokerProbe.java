package dev.gridstate.gateway.status;

import dev.gridstate.gateway.replication.ChangePublisher;
import dev.gridstate.gateway.replication.ReplicationSettings;
import io.micronaut.context.BeanProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.rabbitmq.health.RabbitMQHealthIndicator;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * RabbitMQ as {@code /health} reports it (micronaut-rabbitmq's indicator: its connection open, the
 * server's version), and whether the change log's publisher holds its own connection.
 */
@Singleton
class BrokerProbe {

    private final BeanProvider<RabbitMQHealthIndicator> health;
    private final ChangePublisher publisher;
    private final boolean replicating;
    private final StatusSettings settings;

    BrokerProbe(BeanProvider<RabbitMQHealthIndicator> health, ChangePublisher publisher, ReplicationSettings replication,
                StatusSettings settings) {
        this.health = health;
        this.publisher = publisher;
        this.replicating = replication.enabled();
        this.settings = settings;
    }

    CompletableFuture<StatusSnapshot.Broker> probe() {
        String changeLog = !replicating ? "disabled" : publisher.connected() ? "connected" : "disconnected";
        Optional<RabbitMQHealthIndicator> indicator = health.find(null);
        if (indicator.isEmpty()) {
            return CompletableFuture.completedFuture(new StatusSnapshot.Broker("UNKNOWN", null, changeLog,
                    "this gateway has no RabbitMQ health indicator (is endpoints.health disabled?)"));
        }
        CompletableFuture<StatusSnapshot.Broker> checked = Mono.from(indicator.get().getResult()).toFuture()
                .thenApply(result -> view(result, changeLog));
        return Parts.within(checked, settings.partTimeout(), why -> new StatusSnapshot.Broker("DOWN", null, changeLog, why));
    }

    private static StatusSnapshot.Broker view(HealthResult result, String changeLog) {
        boolean up = HealthStatus.UP.equals(result.getStatus());
        Map<?, ?> details = result.getDetails() instanceof Map<?, ?> m ? m : Map.of();
        Object version = details.get("version");
        Object error = details.get("error");
        return new StatusSnapshot.Broker(result.getStatus().getName(), version == null ? null : version.toString(), changeLog,
                up ? null : error == null ? "the broker connection is not open" : error.toString());
    }
}

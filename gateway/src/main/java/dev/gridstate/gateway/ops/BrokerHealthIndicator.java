package dev.gridstate.gateway.ops;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RabbitMQ as the gateway uses it: the change log's connection and the jobs dispatcher's, each
 * UP or DOWN in the details, with what waits for the broker. The result itself is always UP: a
 * gateway without its broker still serves every state call (changes wait in the outbox and a
 * resync repairs what overflowed), so the broker must not take it out of readiness: a broker
 * outage would otherwise empty the region's Service of every gateway at once.
 *
 * <p>Replaces micronaut-rabbitmq's indicator (application.yml, endpoints.health.rabbitmq), which
 * goes DOWN with the broker and, as a readiness indicator, would do just that.
 */
@Singleton
class BrokerHealthIndicator implements HealthIndicator {

    private final BrokerConnections connections;

    BrokerHealthIndicator(BrokerConnections connections) {
        this.connections = connections;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        BrokerConnections.Report report = connections.report();
        Map<String, Object> details = new LinkedHashMap<>();
        if (report.version() != null) {
            details.put("version", report.version());
        }
        if (report.changeLog() != null) {
            details.put("changeLog", connection("changeLog", report.changeLog(), Map.of("waitingMessages", report.waitingMessages())));
        }
        if (report.jobs() != null) {
            details.put("jobs", connection("jobs", report.jobs(), Map.of("heldJobs", report.heldJobs())));
        }
        return Mono.just(HealthResult.builder("rabbitmq", HealthStatus.UP).details(details).build());
    }

    private static HealthResult connection(String name, boolean up, Map<String, Object> details) {
        return HealthResult.builder(name, up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
    }
}

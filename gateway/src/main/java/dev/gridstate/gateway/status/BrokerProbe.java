package dev.gridstate.gateway.status;

import dev.gridstate.gateway.ops.BrokerConnections;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * RabbitMQ as {@code /health} reports it: UP while every connection the gateway uses (the job
 * dispatcher's, and the change log's once it has published) is open, DOWN naming the ones that
 * are not, and the change log publisher's own state.
 */
@Singleton
class BrokerProbe {

    private final BrokerConnections connections;

    BrokerProbe(BrokerConnections connections) {
        this.connections = connections;
    }

    CompletableFuture<StatusSnapshot.Broker> probe() {
        BrokerConnections.Report report = connections.report();
        String changeLog = report.changeLog() == null ? "disabled" : report.changeLog() ? "connected"
                : report.changeLogUsed() ? "disconnected" : "not yet used";
        List<String> down = report.down();
        return CompletableFuture.completedFuture(new StatusSnapshot.Broker(down.isEmpty() ? "UP" : "DOWN", report.version(),
                changeLog, down.isEmpty() ? null : String.join(" and ", down) + " connection to the broker is down"));
    }
}

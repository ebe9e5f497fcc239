package dev.gridstate.gateway.ops;

import dev.gridstate.gateway.jobs.JobDispatcher;
import dev.gridstate.gateway.replication.ChangePublisher;
import dev.gridstate.gateway.replication.Outbox;
import dev.gridstate.gateway.replication.ReplicationSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's connections to RabbitMQ as the health endpoint and the status page show them: the
 * change log's publisher and the job dispatcher each hold their own.
 */
@Singleton
public class BrokerConnections {

    /**
     * One look at them.
     *
     * @param changeLog       the change log's connection is up; null when replication is off
     * @param changeLogUsed   the change log has published: it connects with its first change, so
     *                        before that a closed connection is not a broker that is down
     * @param jobs            the dispatcher's connection is up; null when jobs are off
     * @param version         the RabbitMQ version the broker announced; null while the change log is not connected
     * @param waitingMessages change log messages waiting for the broker
     * @param heldJobs        job deliveries the dispatcher holds
     */
    public record Report(@Nullable Boolean changeLog, boolean changeLogUsed, @Nullable Boolean jobs,
                         @Nullable String version, long waitingMessages, long heldJobs) {

        /** The connections that are down, by name; empty when every one in use is up. */
        public List<String> down() {
            List<String> down = new ArrayList<>(2);
            if (Boolean.FALSE.equals(changeLog) && changeLogUsed) {
                down.add("the change log's");
            }
            if (Boolean.FALSE.equals(jobs)) {
                down.add("the job dispatcher's");
            }
            return down;
        }
    }

    private final @Nullable ChangePublisher changeLog;
    private final @Nullable Outbox outbox;
    private final @Nullable JobDispatcher jobs;
    private final boolean replicating;

    BrokerConnections(@Nullable ChangePublisher changeLog, @Nullable Outbox outbox, @Nullable JobDispatcher jobs,
                      ReplicationSettings replication) {
        this.changeLog = changeLog;
        this.outbox = outbox;
        this.jobs = jobs;
        this.replicating = replication.enabled();
    }

    public Report report() {
        boolean logged = replicating && changeLog != null;
        return new Report(logged ? changeLog.connected() : null, logged && changeLog.lastConfirmedAt() > 0,
                jobs == null ? null : jobs.connected(),
                logged ? changeLog.brokerVersion() : null, outbox == null ? 0 : outbox.size(),
                jobs == null ? 0 : jobs.held());
    }
}

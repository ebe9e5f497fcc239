package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The job side of an agent given a {@link JobHandler}: a {@link NodeJobs} per node, all polling without
 * blocking a thread, and their handlers on virtual threads. The node's reported state is left alone: the
 * gateway's claim already keeps a node that runs a job out of routing.
 */
final class Jobs {

    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    private final Map<String, NodeJobs> nodes = new LinkedHashMap<>();
    private final ExecutorService handlers;

    Jobs(AgentConfig config, JobConfig jobs, List<NodeSlot> slots, GatewayClient client, Registrar registrar,
         ScheduledExecutorService scheduler, Counters counters, Listeners listeners) {
        this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 1).factory());
        AssignmentPoller poller = new AssignmentPoller(config, jobs, client, registrar, counters, listeners);
        LeaseKeeper leases = new LeaseKeeper(client, registrar, scheduler, counters, listeners);
        JobReporter reporter = new JobReporter(client, registrar, counters, listeners);
        JobRunner runner = new JobRunner(jobs.handler(), handlers, reporter);
        slots.forEach(slot -> nodes.put(slot.id(),
                new NodeJobs(slot, jobs.concurrency(), poller, leases, runner, scheduler)));
    }

    /** Each node polls as soon as it is registered. */
    void start() {
        nodes.values().forEach(NodeJobs::start);
    }

    /** A heartbeat answer said assignments are waiting for the node. */
    void assignmentsWaiting(NodeSlot node) {
        NodeJobs jobs = nodes.get(node.id());
        if (jobs != null) {
            jobs.nudge();
        }
    }

    /** Stops polling and interrupts the handlers still running; their outcomes are no longer reported. */
    void stop() {
        nodes.values().forEach(NodeJobs::stop);
        List<Runnable> neverStarted = handlers.shutdownNow();
        if (!neverStarted.isEmpty()) {
            log.debug("{} jobs were stopped before their handlers started", neverStarted.size());
        }
    }
}

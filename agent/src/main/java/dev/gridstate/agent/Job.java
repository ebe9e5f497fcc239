package dev.gridstate.agent;

import java.time.Duration;

/**
 * An assignment as the agent handles it: what the handler sees, and how long each lease of it lasts.
 *
 * @param lease the gateway's {@code leaseMs}, or what was left of the lease when it came without one
 */
record Job(Assignment assignment, Duration lease) {

    static final Duration MIN_RENEWAL_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_RENEWAL_INTERVAL = Duration.ofSeconds(10);

    String id() {
        return assignment.jobId();
    }

    int attempt() {
        return assignment.attempt();
    }

    /** A third of the lease, so two renewals may fail before it runs out; within 100 ms and 10 s. */
    Duration renewalInterval() {
        Duration third = lease.dividedBy(3);
        if (third.compareTo(MIN_RENEWAL_INTERVAL) < 0) {
            return MIN_RENEWAL_INTERVAL;
        }
        return third.compareTo(MAX_RENEWAL_INTERVAL) > 0 ? MAX_RENEWAL_INTERVAL : third;
    }

    @Override
    public String toString() {
        return "job '" + id() + "' (attempt " + attempt() + ") of node '" + assignment.nodeId() + "'";
    }
}

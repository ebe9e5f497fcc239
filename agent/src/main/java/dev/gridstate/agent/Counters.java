package dev.gridstate.agent;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link AgentCounters}. */
final class Counters {

    private final LongAdder registrations = new LongAdder();
    private final LongAdder reRegistrations = new LongAdder();
    private final LongAdder heartbeatsOk = new LongAdder();
    private final LongAdder heartbeatsFailed = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final LongAdder assignmentsReceived = new LongAdder();
    private final LongAdder jobsSucceeded = new LongAdder();
    private final LongAdder jobsFailed = new LongAdder();
    private final LongAdder leaseRenewals = new LongAdder();
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder reportsRefused = new LongAdder();

    void registration() {
        registrations.increment();
    }

    void reRegistration() {
        reRegistrations.increment();
    }

    void heartbeatsOk(int nodes) {
        heartbeatsOk.add(nodes);
    }

    void heartbeatsFailed(int nodes) {
        heartbeatsFailed.add(nodes);
    }

    void failover() {
        failovers.increment();
    }

    void rejection() {
        rejections.increment();
    }

    void assignmentsReceived(int jobs) {
        assignmentsReceived.add(jobs);
    }

    void jobSucceeded() {
        jobsSucceeded.increment();
    }

    void jobFailed() {
        jobsFailed.increment();
    }

    void leaseRenewal() {
        leaseRenewals.increment();
    }

    void leaseLost() {
        leasesLost.increment();
    }

    void reportRefused() {
        reportsRefused.increment();
    }

    AgentCounters snapshot() {
        return new AgentCounters(registrations.sum(), reRegistrations.sum(), heartbeatsOk.sum(),
                heartbeatsFailed.sum(), failovers.sum(), rejections.sum(), assignmentsReceived.sum(),
                jobsSucceeded.sum(), jobsFailed.sum(), leaseRenewals.sum(), leasesLost.sum(), reportsRefused.sum());
    }
}

package dev.gridstate.agent;

/**
 * A snapshot of what an agent (or a fleet of agents, summed with {@link #plus}) has done.
 *
 * @param registrations       registrations the gateway accepted, first ones and re-registrations alike
 * @param reRegistrations     times the gateway answered 409 unknown_node (or 401) and the record was re-sent
 * @param heartbeatsOk        node heartbeats answered 200 (a batch of n nodes counts n)
 * @param heartbeatsFailed    node heartbeats that failed: transient failures (each attempt) and refusals
 * @param failovers           times a call moved on to the next gateway URL of the region
 * @param rejections          4xx answers that were not retried (see {@link AgentListener#onError}), refused
 *                            job reports included
 * @param assignmentsReceived jobs that assignment polls brought
 * @param jobsSucceeded       results the gateway accepted (late ones it recorded as duplicates included)
 * @param jobsFailed          failures the gateway accepted
 * @param leaseRenewals       job lease renewals the gateway accepted
 * @param leasesLost          renewals answered 409 lease_lost: the job was finished elsewhere or re-assigned
 * @param reportsRefused      results and failures refused with a 4xx other than 401 and 429 (lost)
 */
public record AgentCounters(long registrations, long reRegistrations, long heartbeatsOk, long heartbeatsFailed,
                            long failovers, long rejections, long assignmentsReceived, long jobsSucceeded,
                            long jobsFailed, long leaseRenewals, long leasesLost, long reportsRefused) {

    public static final AgentCounters ZERO = new AgentCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public AgentCounters plus(AgentCounters other) {
        return new AgentCounters(registrations + other.registrations, reRegistrations + other.reRegistrations,
                heartbeatsOk + other.heartbeatsOk, heartbeatsFailed + other.heartbeatsFailed,
                failovers + other.failovers, rejections + other.rejections,
                assignmentsReceived + other.assignmentsReceived, jobsSucceeded + other.jobsSucceeded,
                jobsFailed + other.jobsFailed, leaseRenewals + other.leaseRenewals, leasesLost + other.leasesLost,
                reportsRefused + other.reportsRefused);
    }
}

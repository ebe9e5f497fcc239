package dev.gridstate.agent;

/**
 * A snapshot of what an agent (or a fleet of agents, summed with {@link #plus}) has done.
 *
 * @param registrations    registrations the gateway accepted, first ones and re-registrations alike
 * @param reRegistrations  times the gateway answered 409 unknown_node and the record was re-sent
 * @param heartbeatsOk     node heartbeats answered 200 (a batch of n nodes counts n)
 * @param heartbeatsFailed node heartbeats that failed: transient failures (each attempt) and refusals
 * @param failovers        times a call moved on to the next gateway URL of the region
 * @param rejections       4xx answers that were not retried (see {@link AgentListener#onError})
 */
public record AgentCounters(long registrations, long reRegistrations, long heartbeatsOk, long heartbeatsFailed,
                            long failovers, long rejections) {

    public static final AgentCounters ZERO = new AgentCounters(0, 0, 0, 0, 0, 0);

    public AgentCounters plus(AgentCounters other) {
        return new AgentCounters(registrations + other.registrations, reRegistrations + other.reRegistrations,
                heartbeatsOk + other.heartbeatsOk, heartbeatsFailed + other.heartbeatsFailed,
                failovers + other.failovers, rejections + other.rejections);
    }
}

package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A job the gateway assigned to one of the agent's nodes, as its poll answer described it.
 *
 * @param model          the model the job is for, empty when the gateway named none
 * @param payload        the job's input as the gateway passed it on; a JSON null when there was none
 * @param attempt        which attempt at the job this is (1 for the first); reports carry it back
 * @param leaseExpiresAt when the lease of the assignment ran out at the time it was handed out, in epoch
 *                       milliseconds of the gateway's clock; the agent renews it while the job runs
 */
public record Assignment(String nodeId, String jobId, String model, JsonNode payload, int attempt,
                         long leaseExpiresAt) {

    public Assignment {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(model, () -> "model of job '" + jobId + "'");
        Objects.requireNonNull(payload, () -> "payload of job '" + jobId + "'");
    }
}

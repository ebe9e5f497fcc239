package dev.gridstate.agent;

import java.net.URI;

/**
 * A refusal from the gateway that the agent does not retry: the HTTP status and the gateway's
 * {@code {"error","message","field"}} body (empty strings when the body had no such field).
 *
 * @param operation what the agent was doing, e.g. {@code register} or {@code heartbeat}; for jobs
 *                  {@code poll}, {@code lease}, {@code result} or {@code failure}
 */
public record GatewayError(String nodeId, String operation, int status, String code, String message,
                           String field, URI gateway) {

    @Override
    public String toString() {
        return operation + " of node '" + nodeId + "' refused by " + gateway + " with " + status + " " + code
                + (field.isEmpty() ? "" : " (field '" + field + "')") + ": " + message;
    }
}

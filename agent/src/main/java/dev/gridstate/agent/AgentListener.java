package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Callbacks from a {@link NodeAgent} to the program that embeds it. Every method has a no-op default.
 *
 * <p>Methods are called from the agent's HTTP and scheduler threads: they must return quickly and
 * must not block. An exception thrown by a listener is logged and does not disturb the agent.
 */
public interface AgentListener {

    /** The gateway accepted the node's full record; {@code created} is false when it replaced one. */
    default void onRegistered(String nodeId, boolean created) {
    }

    /**
     * The gateway did not know the node (409 unknown_node) or refused its token (401); the agent is
     * re-sending its record, which also brings a fresh token.
     */
    default void onReRegisterRequested(String nodeId) {
    }

    /**
     * A heartbeat answer carried a non-empty list of directives, as they came. The agent itself acts on
     * the routing holds (see {@link #onRoutingHold}) and logs notices; everything else is the program's.
     */
    default void onDirectives(String nodeId, List<JsonNode> directives) {
    }

    /**
     * The directives holding the node back from routing changed: {@code holds} are the current
     * {@code pause}, {@code cooldown}, {@code maintenance} and {@code freeze} directives, each a JSON
     * object with its {@code type} (and {@code reason}, {@code until} where given). While it is not
     * empty the node should take no new work ({@link NodeAgent#isOffering} is false); the agent keeps
     * heart-beating so the node stays online. An empty list means the node may take work again.
     */
    default void onRoutingHold(String nodeId, List<JsonNode> holds) {
    }

    /**
     * The gateway answered a lease renewal with 409 lease_lost: the job was finished by someone else or
     * assigned again. The agent stops renewing the lease but lets the handler finish and still reports the
     * outcome (the gateway records it as a late duplicate); a handler that can stop early may do so.
     */
    default void onLeaseLost(String nodeId, String jobId) {
    }

    /**
     * The gateway refused a request with a 4xx that is not retried (anything but 409 and 429), a job's
     * result or failure included: that report is lost.
     */
    default void onError(GatewayError error) {
    }
}

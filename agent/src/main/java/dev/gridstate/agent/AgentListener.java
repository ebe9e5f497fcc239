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

    /** The gateway did not know the node (409 unknown_node); the agent is re-sending its record. */
    default void onReRegisterRequested(String nodeId) {
    }

    /** A heartbeat answer carried a non-empty list of directives; the agent itself acts on none. */
    default void onDirectives(String nodeId, List<JsonNode> directives) {
    }

    /** The gateway refused a request with a 4xx that is not retried (anything but 409 and 429). */
    default void onError(GatewayError error) {
    }
}

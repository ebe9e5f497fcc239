package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Calls the embedding program's {@link AgentListener} so that its exceptions cannot hurt the agent. */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final AgentListener listener;

    Listeners(AgentListener listener) {
        this.listener = listener;
    }

    void registered(String nodeId, boolean created) {
        guard("onRegistered", nodeId, () -> listener.onRegistered(nodeId, created));
    }

    void reRegisterRequested(String nodeId) {
        guard("onReRegisterRequested", nodeId, () -> listener.onReRegisterRequested(nodeId));
    }

    void directives(String nodeId, List<JsonNode> directives) {
        guard("onDirectives", nodeId, () -> listener.onDirectives(nodeId, directives));
    }

    void routingHold(String nodeId, List<JsonNode> holds) {
        guard("onRoutingHold", nodeId, () -> listener.onRoutingHold(nodeId, holds));
    }

    void leaseLost(String nodeId, String jobId) {
        guard("onLeaseLost", nodeId, () -> listener.onLeaseLost(nodeId, jobId));
    }

    void error(GatewayError error) {
        guard("onError", error.nodeId(), () -> listener.onError(error));
    }

    private static void guard(String method, String nodeId, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("AgentListener.{} threw for node '{}'; the agent carries on", method, nodeId, e);
        }
    }
}

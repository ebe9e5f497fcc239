package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every callback, for assertions. */
final class RecordingListener implements AgentListener {

    record Directives(String nodeId, List<JsonNode> directives) {
    }

    final List<String> registered = new CopyOnWriteArrayList<>();
    final List<String> reRegisterRequested = new CopyOnWriteArrayList<>();
    final List<Directives> directives = new CopyOnWriteArrayList<>();
    final List<Directives> routingHolds = new CopyOnWriteArrayList<>();
    final List<GatewayError> errors = new CopyOnWriteArrayList<>();
    /** {@code nodeId/jobId} of each lost lease. */
    final List<String> leasesLost = new CopyOnWriteArrayList<>();

    @Override
    public void onRegistered(String nodeId, boolean created) {
        registered.add(nodeId);
    }

    @Override
    public void onReRegisterRequested(String nodeId) {
        reRegisterRequested.add(nodeId);
    }

    @Override
    public void onDirectives(String nodeId, List<JsonNode> list) {
        directives.add(new Directives(nodeId, list));
    }

    @Override
    public void onRoutingHold(String nodeId, List<JsonNode> holds) {
        routingHolds.add(new Directives(nodeId, holds));
    }

    @Override
    public void onLeaseLost(String nodeId, String jobId) {
        leasesLost.add(nodeId + "/" + jobId);
    }

    @Override
    public void onError(GatewayError error) {
        errors.add(error);
    }
}

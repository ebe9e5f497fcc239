package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one round of heartbeats: {@code POST /v1/nodes/{id}/heartbeat} for an agent serving a single
 * node, {@code POST /v1/heartbeats} in chunks of at most {@value #MAX_BATCH} otherwise; and applies
 * the answers (409 means re-register that node).
 */
final class HeartbeatSender {

    static final int MAX_BATCH = 1000;

    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final GatewayClient client;
    private final Registrar registrar;
    private final Timing timing;
    private final Counters counters;
    private final Listeners listeners;
    private final boolean batched;

    HeartbeatSender(GatewayClient client, Registrar registrar, Timing timing, Counters counters,
                    Listeners listeners, boolean batched) {
        this.client = client;
        this.registrar = registrar;
        this.timing = timing;
        this.counters = counters;
        this.listeners = listeners;
        this.batched = batched;
    }

    /** Completes (never exceptionally) once every node's heartbeat has a final answer or was abandoned. */
    CompletableFuture<Void> send(List<NodeSlot> due) {
        if (!batched) {
            return CompletableFuture.allOf(due.stream().map(this::single).toArray(CompletableFuture[]::new));
        }
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (int from = 0; from < due.size(); from += MAX_BATCH) {
            chunks.add(batch(List.copyOf(due.subList(from, Math.min(due.size(), from + MAX_BATCH)))));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> single(NodeSlot node) {
        Call call = new Call("POST", "/v1/nodes/" + node.id() + "/heartbeat", () -> Wire.heartbeat(node),
                "heartbeat of node '" + node.id() + "'", () -> counters.heartbeatsFailed(1));
        return client.send(call).thenAccept(answer -> answer.ifPresent(response -> {
            if (response.status() == 409) {
                registrar.reRegister(node);
            } else if (response.isSuccess()) {
                accepted(node, response.body());
            } else {
                refused(List.of(node), response);
            }
        }));
    }

    private CompletableFuture<Void> batch(List<NodeSlot> chunk) {
        Call call = new Call("POST", "/v1/heartbeats", () -> Wire.batch(chunk),
                "heartbeat batch of " + chunk.size() + " nodes from '" + chunk.get(0).id() + "'",
                () -> counters.heartbeatsFailed(chunk.size()));
        return client.send(call).thenAccept(answer -> answer.ifPresent(response -> {
            if (response.isSuccess()) {
                applyResults(chunk, response);
            } else {
                refused(chunk, response);
            }
        }));
    }

    private void applyResults(List<NodeSlot> chunk, GatewayResponse response) {
        JsonNode results = response.body().path("results");
        Map<String, NodeSlot> byId = new HashMap<>();
        chunk.forEach(node -> byId.put(node.id(), node));
        for (int i = 0; i < results.size(); i++) {
            JsonNode entry = results.get(i);
            NodeSlot node = entry.has("nodeId") ? byId.remove(entry.path("nodeId").asText())
                    : i < chunk.size() ? byId.remove(chunk.get(i).id()) : null;
            if (node == null) {
                log.warn("heartbeat batch answer from {} has a result for a node not in the batch: {}",
                        response.gateway(), entry);
                continue;
            }
            int status = entry.path("status").asInt(0);
            if (status == 409) {
                registrar.reRegister(node);
            } else if (status >= 200 && status < 300) {
                accepted(node, entry);
            } else {
                refused(List.of(node), new GatewayResponse(status, entry, response.gateway()));
            }
        }
        if (!byId.isEmpty()) {
            counters.heartbeatsFailed(byId.size());
            log.warn("heartbeat batch answer from {} has no result for nodes {}", response.gateway(), byId.keySet());
        }
    }

    private void accepted(NodeSlot node, JsonNode answer) {
        counters.heartbeatsOk(1);
        timing.update(answer);
        List<JsonNode> directives = Wire.directives(answer);
        node.lastDirectives(directives);
        if (!directives.isEmpty()) {
            listeners.directives(node.id(), directives);
        }
    }

    private void refused(List<NodeSlot> nodes, GatewayResponse response) {
        counters.heartbeatsFailed(nodes.size());
        List<GatewayError> errors = nodes.stream().map(n -> Wire.error(n.id(), "heartbeat", response)).toList();
        log.error("{}{}; not retrying", errors.get(0), nodes.size() > 1 ? " (and " + (nodes.size() - 1)
                + " more nodes of the same batch)" : "");
        errors.forEach(error -> {
            counters.rejection();
            listeners.error(error);
        });
    }
}

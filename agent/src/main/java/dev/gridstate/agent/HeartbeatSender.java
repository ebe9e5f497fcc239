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
 * Sends one round of heartbeats: {@code POST /v1/nodes/{id}/heartbeat} (token in the Authorization
 * header) for an agent serving a single node, {@code POST /v1/heartbeats} (token in each entry) in
 * chunks of at most {@value #MAX_BATCH} otherwise; and applies the answers: 409 (unknown node) and
 * 401 (stale token) mean re-register that node, a 200 carries the directives to act on.
 */
final class HeartbeatSender {

    static final int MAX_BATCH = 1000;

    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final GatewayClient client;
    private final Registrar registrar;
    private final Timing timing;
    private final Counters counters;
    private final Listeners listeners;
    private final DirectiveHandler directives;
    private final boolean batched;

    HeartbeatSender(GatewayClient client, Registrar registrar, Timing timing, Counters counters,
                    Listeners listeners, DirectiveHandler directives, boolean batched) {
        this.client = client;
        this.registrar = registrar;
        this.timing = timing;
        this.counters = counters;
        this.listeners = listeners;
        this.directives = directives;
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
        Call call = Call.of("POST", "/v1/nodes/" + node.id() + "/heartbeat", () -> Wire.heartbeat(node),
                        "heartbeat of node '" + node.id() + "'")
                .onTransientFailure(() -> counters.heartbeatsFailed(1))
                .withBearer(node::token);
        long sentAt = System.nanoTime();
        return client.send(call).thenAccept(answer -> answer.ifPresent(response -> {
            if (response.status() == 409) {
                registrar.reRegister(node, "409 unknown_node");
            } else if (response.status() == 401) {
                staleToken(node);
            } else if (response.isSuccess()) {
                accepted(node, response.body(), sentAt);
            } else {
                refused(List.of(node), response);
            }
        }));
    }

    private CompletableFuture<Void> batch(List<NodeSlot> chunk) {
        Call call = Call.of("POST", "/v1/heartbeats", () -> Wire.batch(chunk),
                        "heartbeat batch of " + chunk.size() + " nodes from '" + chunk.get(0).id() + "'")
                .onTransientFailure(() -> counters.heartbeatsFailed(chunk.size()));
        long sentAt = System.nanoTime();
        return client.send(call).thenAccept(answer -> answer.ifPresent(response -> {
            if (response.isSuccess()) {
                applyResults(chunk, response, sentAt);
            } else {
                refused(chunk, response);
            }
        }));
    }

    private void applyResults(List<NodeSlot> chunk, GatewayResponse response, long sentAt) {
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
                registrar.reRegister(node, "409 unknown_node");
            } else if (status == 401) {
                staleToken(node);
            } else if (status == 429) {
                // over the node's heartbeat budget: this beat is lost, the next round sends another
                counters.heartbeatsFailed(1);
                log.debug("heartbeat of node '{}' was over its rate limit at {}", node.id(), response.gateway());
            } else if (status >= 200 && status < 300) {
                accepted(node, entry, sentAt);
            } else {
                refused(List.of(node), new GatewayResponse(status, entry, response.gateway()));
            }
        }
        if (!byId.isEmpty()) {
            counters.heartbeatsFailed(byId.size());
            log.warn("heartbeat batch answer from {} has no result for nodes {}", response.gateway(), byId.keySet());
        }
    }

    private void accepted(NodeSlot node, JsonNode answer, long sentAt) {
        counters.heartbeatsOk(1);
        timing.update(answer);
        node.beatAccepted(sentAt);
        directives.apply(node, Wire.directives(answer));
    }

    /** The token was refused (issued under another secret, or never): a registration brings a fresh one. */
    private void staleToken(NodeSlot node) {
        if (node.token() != null && !node.isTokenProven()) {
            // refused before it was ever accepted: re-registering will not help if this repeats
            log.warn("the gateway refused the token it issued to node '{}' at its last registration; "
                    + "do all gateways of the region share gateway.node-token-secret?", node.id());
        }
        registrar.reRegister(node, "401 (node token " + (node.token() == null ? "missing" : "refused") + ")");
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

package dev.gridstate.gateway.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One change of one node as the region's scripts published it, numbered by this gateway.
 * {@code json} is sent to subscribers as it came from Redis.
 *
 * <p>Events are deltas, so two of them may only be merged when the newer one says everything
 * the older one said: they share a {@link #key()}, the node plus the aspect of it they describe
 * (its presence: online, offline, deregistered; its runtime state; a reported disconnection; one
 * admin flag). A subscriber that misses superseded events still ends with the newest of each.
 */
record NodeEvent(long seq, @Nullable String nodeId, String type, String key, String json) {

    /** The types the scripts publish; {@code ?type=} accepts these. */
    static final List<String> TYPES = List.of("online", "offline", "state", "flags", "deregistered");
    /** Sent by the gateway itself when its subscription to Redis came back after a gap. */
    static final String RESYNC = "resync";

    /** The event in a published message, or empty when the message is not one. */
    static Optional<NodeEvent> parse(JsonMapper mapper, String message, LongSupplier sequence) {
        JsonNode event;
        try {
            event = mapper.readValue(message, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        String nodeId = text(event, "nodeId");
        String type = text(event, "type");
        if (nodeId == null || nodeId.isEmpty() || type == null || type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NodeEvent(sequence.getAsLong(), nodeId, type, nodeId + " " + aspect(type, event), message));
    }

    /**
     * Tells a subscriber that changes may have been missed ({@code reason} says why), so it should
     * read the nodes it follows again ({@code GET /v1/nodes/{id}}).
     */
    static NodeEvent resync(JsonMapper mapper, long seq, long at, String region, String reason) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", RESYNC);
        event.put("region", region);
        event.put("at", at);
        event.put("message", reason + "; read the nodes you follow again");
        try {
            return new NodeEvent(seq, null, RESYNC, RESYNC, mapper.writeValueAsString(event));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a resync event as JSON", e);
        }
    }

    private static String aspect(String type, JsonNode event) {
        return switch (type) {
            case "online", "offline", "deregistered" -> "presence";
            case "state" -> event.get("disconnected") != null ? "disconnection" : "state";
            case "flags" -> {
                String flag = text(event, "flag");
                yield flag == null ? "flags" : "flag:" + flag;
            }
            default -> type;
        };
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isString() ? value.getStringValue() : null;
    }
}

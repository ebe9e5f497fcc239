package dev.gridstate.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The JSON of the gateway's node API: request bodies and the fields the agent reads from answers. */
final class Wire {

    private static final Logger log = LoggerFactory.getLogger(Wire.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 7235's token68, the shape a bearer token must have to go in an Authorization header. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{1,512}=*");

    private Wire() {
    }

    static byte[] registration(NodeSlot node) {
        NodeSpec spec = node.spec();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode models = body.putArray("models");
        spec.models().forEach(m -> models.addObject().put("name", m.name()).put("version", m.version()));
        body.putObject("gpu")
                .put("model", spec.gpu().model())
                .put("memoryMb", spec.gpu().memoryMb())
                .put("freeMemoryMb", node.freeMemoryMb());
        ObjectNode labels = body.putObject("labels");
        spec.labels().forEach(labels::put);
        ArrayNode subclouds = body.putArray("subclouds");
        spec.subclouds().forEach(subclouds::add);
        body.put("state", node.state().wireName());
        return bytes(body);
    }

    static byte[] heartbeat(NodeSlot node) {
        return bytes(heartbeatEntry(node, false));
    }

    static byte[] batch(List<NodeSlot> nodes) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode entries = body.putArray("heartbeats");
        nodes.forEach(node -> entries.add(heartbeatEntry(node, true)));
        return bytes(body);
    }

    /** The answer's JSON; a missing node for an empty or unreadable body. */
    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            log.warn("gateway answered with a body that is not JSON ({}): {}", e.getMessage(), text);
            return MissingNode.getInstance();
        }
    }

    static List<JsonNode> directives(JsonNode answer) {
        JsonNode array = answer.path("directives");
        if (!array.isArray()) {
            return List.of();
        }
        List<JsonNode> directives = new ArrayList<>(array.size());
        array.forEach(directives::add);
        return List.copyOf(directives);
    }

    /**
     * The {@code nodeToken} of a registration answer; null when there is none (a gateway that issues
     * no tokens) or when it could not travel in an HTTP header (logged).
     */
    static String nodeToken(String nodeId, JsonNode answer) {
        JsonNode token = answer.path("nodeToken");
        if (token.isMissingNode() || token.isNull()) {
            return null;
        }
        if (!token.isTextual() || !TOKEN.matcher(token.asText()).matches()) {
            log.warn("registration answer for node '{}' has a nodeToken that cannot be sent back (not a token68 "
                    + "string of at most 512 characters); its heartbeats go without one", nodeId);
            return null;
        }
        return token.asText();
    }

    static Optional<Duration> millis(JsonNode answer, String field) {
        JsonNode value = answer.path(field);
        return value.canConvertToLong() && value.asLong() > 0
                ? Optional.of(Duration.ofMillis(value.asLong()))
                : Optional.empty();
    }

    static byte[] disconnect(Duration expected) {
        return bytes(JSON.createObjectNode().put("expectedMs", expected.toMillis()));
    }

    static GatewayError error(String nodeId, String operation, GatewayResponse response) {
        JsonNode body = response.body();
        return new GatewayError(nodeId, operation, response.status(), body.path("error").asText(""),
                body.path("message").asText(""), body.path("field").asText(""), response.gateway());
    }

    private static ObjectNode heartbeatEntry(NodeSlot node, boolean withId) {
        ObjectNode entry = JSON.createObjectNode();
        if (withId) {
            entry.put("nodeId", node.id());
        }
        entry.put("state", node.state().wireName());
        entry.put("freeMemoryMb", node.freeMemoryMb());
        String token = node.token();
        if (withId && token != null) {
            // a single heartbeat carries the token in its Authorization header instead
            entry.put("nodeToken", token);
        }
        return entry;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialise a JSON tree the agent built itself: " + node, e);
        }
    }
}

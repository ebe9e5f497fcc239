package dev.gridstate.agent;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
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
    /** Job ids go into request paths as they are: URL-safe characters only. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._~:-]{1,256}");

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

    /**
     * The jobs of an assignment poll answer, in the order given. An entry without a usable {@code jobId}
     * or {@code attempt} cannot be renewed or reported: it is logged and left to its lease.
     *
     * @param now the current epoch milliseconds, to derive the lease of an entry without {@code leaseMs}
     */
    static List<Job> assignments(String nodeId, JsonNode answer, long now) {
        if (!answer.isArray()) {
            log.error("assignment poll answer for node '{}' is not a JSON array; ignoring it: {}", nodeId,
                    abbreviate(answer));
            return List.of();
        }
        List<Job> jobs = new ArrayList<>(answer.size());
        for (JsonNode entry : answer) {
            JsonNode jobId = entry.path("jobId");
            JsonNode attempt = entry.path("attempt");
            if (!jobId.isTextual() || !JOB_ID.matcher(jobId.asText()).matches() || !attempt.canConvertToInt()) {
                log.error("assignment for node '{}' has no usable jobId (matching {}) or attempt; cannot run or "
                        + "report it: {}", nodeId, JOB_ID.pattern(), abbreviate(entry));
                continue;
            }
            long expiresAt = entry.path("leaseExpiresAt").asLong(0);
            Duration lease = millis(entry, "leaseMs").orElse(Duration.ofMillis(Math.max(0, expiresAt - now)));
            JsonNode payload = entry.path("payload");
            Assignment assignment = new Assignment(nodeId, jobId.asText(), entry.path("model").asText(""),
                    payload.isMissingNode() ? NullNode.getInstance() : payload, attempt.asInt(), expiresAt);
            jobs.add(new Job(assignment, lease));
        }
        return List.copyOf(jobs);
    }

    static byte[] lease(Job job) {
        return bytes(jobReport(job));
    }

    /** @throws IllegalArgumentException if the handler's output cannot be written as JSON */
    static byte[] result(Job job, JsonNode output) {
        ObjectNode body = jobReport(job);
        body.set("output", output == null || output.isMissingNode() ? NullNode.getInstance() : output);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the output of " + job + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    static byte[] failure(Job job, String error) {
        return bytes(jobReport(job).put("error", error));
    }

    private static ObjectNode jobReport(Job job) {
        return JSON.createObjectNode().put("nodeId", job.assignment().nodeId()).put("attempt", job.attempt());
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
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

package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and checks registry requests. Everything that ends up inside a Redis key (node ids,
 * model names and versions, label keys and values) is held to a pattern without whitespace.
 */
final class RegistryRequests {

    static final Pattern SUBCLOUD = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final Pattern GPU_MODEL = Pattern.compile("[\\x20-\\x7E]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("(?s).{1,512}");
    private static final Pattern STATE = Pattern.compile("(?s).{1,32}");

    static final int MAX_MODELS = 64;
    static final int MAX_LABELS = 32;
    static final int MAX_SUBCLOUDS = 64;

    private RegistryRequests() {
    }


    static Registration registration(JsonBody body) {
        List<NodeSpec.Model> models = body.list("models", MAX_MODELS, (m, path) -> {
            JsonBody model = m.asObject();
            return new NodeSpec.Model(model.string("name", Names.MODEL_PART), model.string("version", Names.MODEL_PART));
        });
        if (models.isEmpty()) {
            throw body.has("models") ? ApiException.invalid("models", "models must list at least one model")
                    : ApiException.missing("models");
        }
        JsonBody gpu = body.object("gpu");
        long memoryMb = gpu.nonNegativeLong("memoryMb");
        Long free = gpu.optionalNonNegativeLong("freeMemoryMb");
        if (free != null && free > memoryMb) {
            throw ApiException.invalid("gpu.freeMemoryMb",
                    "gpu.freeMemoryMb must not exceed gpu.memoryMb (" + memoryMb + "), but was " + free);
        }
        NodeSpec spec = new NodeSpec(
                List.copyOf(models),
                new NodeSpec.Gpu(gpu.string("model", GPU_MODEL), memoryMb),
                body.stringMap("labels", MAX_LABELS, Names.LABEL_KEY, Names.LABEL_VALUE),
                List.copyOf(body.list("subclouds", MAX_SUBCLOUDS, (s, path) -> s.asString(SUBCLOUD))));
        NodeState state = NodeState.parse("state", body.optionalString("state", STATE, NodeState.IDLE.wire()));
        return new Registration(spec, state, free == null ? memoryMb : free);
    }

    static Heartbeat heartbeat(String nodeId, JsonBody body, String path) {
        String field = path.isEmpty() ? "state" : path + ".state";
        NodeState state = NodeState.parse(field, body.string("state", STATE));
        return new Heartbeat(nodeId, state, body.optionalNonNegativeLong("freeMemoryMb"));
    }

    /** One entry of a batch: the heartbeat and the node token it came with (null if none). */
    record BatchEntry(Heartbeat heartbeat, String nodeToken) {
    }

    static List<BatchEntry> batch(JsonBody body, int max) {
        if (!body.has("heartbeats")) {
            throw ApiException.missing("heartbeats");
        }
        return body.list("heartbeats", max, (entry, path) -> {
            JsonBody hb = entry.asObject();
            String id = hb.string("nodeId", Names.NODE_ID);
            return new BatchEntry(heartbeat(id, hb, path), hb.optionalString("nodeToken", TOKEN, null));
        });
    }

    static long disconnectMs(JsonBody body, long maxMs) {
        long ms = body.nonNegativeLong("expectedMs");
        if (ms < 1 || ms > maxMs) {
            throw ApiException.invalid("expectedMs", "expectedMs must be between 1 and " + maxMs + ", but was " + ms);
        }
        return ms;
    }

}

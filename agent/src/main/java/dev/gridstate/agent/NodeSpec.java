package dev.gridstate.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one GPU node tells its region's gateway when it registers: the full record that is re-sent
 * whenever the gateway asks for it (after a regional Redis lost its state).
 *
 * <p>The node id must match {@code [A-Za-z0-9._-]{1,128}}; labels and subclouds may be empty but
 * not null. Collections are copied, so a spec is immutable.
 */
public record NodeSpec(String nodeId, List<Model> models, Gpu gpu, Map<String, String> labels,
                       List<String> subclouds) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public NodeSpec {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException(
                    "node id must match " + NODE_ID.pattern() + ", but was '" + nodeId + "'");
        }
        models = List.copyOf(Objects.requireNonNull(models, () -> "models of node '" + nodeId + "'"));
        Objects.requireNonNull(gpu, () -> "gpu of node '" + nodeId + "'");
        labels = Map.copyOf(Objects.requireNonNull(labels, () -> "labels of node '" + nodeId + "'"));
        subclouds = List.copyOf(Objects.requireNonNull(subclouds, () -> "subclouds of node '" + nodeId + "'"));
    }

    /** A model the node serves, e.g. {@code llama-3-8b} in version {@code q4}. */
    public record Model(String name, String version) {
        public Model {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("model name must not be blank, but was '" + name + "'");
            }
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException(
                        "version of model '" + name + "' must not be blank, but was '" + version + "'");
            }
        }
    }

    /** The node's GPU; {@code freeMemoryMb} is the free memory at registration time. */
    public record Gpu(String model, long memoryMb, long freeMemoryMb) {
        public Gpu {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("gpu model must not be blank, but was '" + model + "'");
            }
            if (memoryMb <= 0) {
                throw new IllegalArgumentException(
                        "memoryMb of gpu '" + model + "' must be greater than 0, but was " + memoryMb);
            }
            if (freeMemoryMb < 0 || freeMemoryMb > memoryMb) {
                throw new IllegalArgumentException("freeMemoryMb of gpu '" + model + "' must be between 0 and "
                        + memoryMb + ", but was " + freeMemoryMb);
            }
        }
    }
}

package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

import java.util.List;
import java.util.Map;

/** A node as the API shows it: its spec and its live status. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Node")
public record NodeView(String nodeId, String region,
                       @Schema(allowableValues = {"online", "offline"}, requiredMode = RequiredMode.REQUIRED)
                       String status,
                       @Schema(allowableValues = {"idle", "busy", "draining"}, requiredMode = RequiredMode.REQUIRED)
                       String state,
                       List<NodeSpec.Model> models, GpuView gpu, Map<String, String> labels, List<String> subclouds,
                       @Schema(description = "ms since the epoch", requiredMode = RequiredMode.REQUIRED)
                       long registeredAt,
                       @Schema(description = "ms since the epoch", requiredMode = RequiredMode.REQUIRED)
                       long lastHeartbeatAt) {

    @Serdeable
    @Schema(name = "Gpu")
    public record GpuView(String model, long memoryMb, long freeMemoryMb) {
    }

    static NodeView of(String region, String nodeId, boolean online, NodeSpec spec, String state, long free,
                       long registeredAt, long lastHeartbeatAt) {
        return new NodeView(nodeId, region, online ? "online" : "offline", state, spec.models(),
                new GpuView(spec.gpu().model(), spec.gpu().memoryMb(), free),
                spec.labels(), spec.subclouds(), registeredAt, lastHeartbeatAt);
    }
}

package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** A node as the API shows it: its spec and its live status. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeView(String nodeId, String region, String status, String state, List<NodeSpec.Model> models,
                       GpuView gpu, Map<String, String> labels, List<String> subclouds,
                       long registeredAt, long lastHeartbeatAt) {

    @Serdeable
    public record GpuView(String model, long memoryMb, long freeMemoryMb) {
    }

    static NodeView of(String region, String nodeId, boolean online, NodeSpec spec, String state, long free,
                       long registeredAt, long lastHeartbeatAt) {
        return new NodeView(nodeId, region, online ? "online" : "offline", state, spec.models(),
                new GpuView(spec.gpu().model(), spec.gpu().memoryMb(), free),
                spec.labels(), spec.subclouds(), registeredAt, lastHeartbeatAt);
    }
}

package dev.gridstate.gateway.registry;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** What a node declares when it registers; stored as JSON in its record. */
@Serdeable
public record NodeSpec(List<Model> models, Gpu gpu, Map<String, String> labels, List<String> subclouds) {

    @Serdeable
    @Schema(name = "ModelRef", description = "A model a node serves, by name and version")
    public record Model(String name, String version) {
    }

    @Serdeable
    public record Gpu(String model, long memoryMb) {
    }
}

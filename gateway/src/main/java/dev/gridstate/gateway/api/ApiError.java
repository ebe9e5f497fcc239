package dev.gridstate.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** The body of every 4xx/5xx answer: {@code {"error":"…","message":"…","field":"…"}}. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ApiError", description = "Every refusal and failure; it changed nothing")
public record ApiError(
        @Schema(description = "a stable code, e.g. invalid_field, not_found, store_unavailable",
                requiredMode = RequiredMode.REQUIRED) String error,
        @Schema(description = "what was wrong, naming the value and the rule", requiredMode = RequiredMode.REQUIRED)
        String message,
        @Schema(description = "the JSON path at fault when one field is, e.g. heartbeats[3].state",
                requiredMode = RequiredMode.NOT_REQUIRED) String field) {
}

package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A job's status as clients and operators read it. {@code attempt} is the attempts made so far;
 * {@code node} ran (or runs) the last one; {@code output} is the first result; {@code duplicates}
 * counts results that came after it and were ignored.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Job")
record JobView(String jobId, String model,
               @Schema(requiredMode = RequiredMode.NOT_REQUIRED) String version,
               @Schema(requiredMode = RequiredMode.NOT_REQUIRED) Integer priority,
               @Schema(allowableValues = {"queued", "assigned", "succeeded", "failed", "dead"},
                       requiredMode = RequiredMode.REQUIRED) String state,
               long attempt,
               @Schema(requiredMode = RequiredMode.NOT_REQUIRED) Long maxAttempts,
               @Schema(description = "ran (or runs) the last attempt", requiredMode = RequiredMode.NOT_REQUIRED)
               String node,
               @Schema(description = "every node that had an attempt") List<String> nodes,
               @Schema(description = "ms since the epoch, while assigned") Long leaseExpiresAt,
               @Schema(description = "ms since the epoch", requiredMode = RequiredMode.NOT_REQUIRED) Long submittedAt,
               @Schema(description = "ms since the epoch", requiredMode = RequiredMode.NOT_REQUIRED) Long updatedAt,
               @Schema(description = "the last attempt's error") String error,
               @Schema(description = "why the job died") String reason,
               @Schema(description = "the first result, any JSON") JsonNode output,
               @Schema(description = "results that came after the first and were ignored") Long duplicates) {

    static JobView of(Map<String, String> r, JsonMapper json) {
        String version = r.get("version");
        return new JobView(r.get("jobId"), r.get("model"), version == null || version.isEmpty() ? null : version,
                integer(r.get("priority")), r.get("state"), number(r.get("attempt"), 0L), number(r.get("maxAttempts"), null),
                blank(r.get("node")), r.get("nodes") == null || r.get("nodes").isEmpty() ? null
                        : Arrays.asList(r.get("nodes").split(" ")),
                "assigned".equals(r.get("state")) ? number(r.get("leaseUntil"), null) : null,
                number(r.get("submittedAt"), null), number(r.get("updatedAt"), null), blank(r.get("error")),
                blank(r.get("reason")), output(r.get("output"), json), number(r.get("duplicates"), null));
    }

    private static JsonNode output(String stored, JsonMapper json) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, JsonNode.class);
        } catch (IOException e) {
            return JsonNode.createStringNode(stored);
        }
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Integer integer(String s) {
        Long n = number(s, null);
        return n == null ? null : n.intValue();
    }

    private static Long number(String s, Long fallback) {
        if (s == null || s.isEmpty()) {
            return fallback;
        }
        try {
            return (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

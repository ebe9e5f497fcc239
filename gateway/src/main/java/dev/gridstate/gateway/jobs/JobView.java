package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;

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
record JobView(String jobId, String model, String version, Integer priority, String state, long attempt,
               Long maxAttempts, String node, List<String> nodes, Long leaseExpiresAt, Long submittedAt,
               Long updatedAt, String error, String reason, JsonNode output, Long duplicates) {

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

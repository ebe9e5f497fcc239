package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.Names;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the matchmaking query string: {@code model, version, state, minFreeMemoryMb, label=k:v, limit}. */
final class NodeQueries {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> KNOWN = Set.of("model", "version", "state", "minFreeMemoryMb", "label", "limit");

    private NodeQueries() {
    }

    static NodeQuery parse(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw ApiException.invalid(name, "unknown query parameter " + name + "; known: " + KNOWN);
            }
        }
        String model = optional(params, "model", Names.MODEL_PART);
        String version = optional(params, "version", Names.MODEL_PART);
        if (version != null && model == null) {
            throw ApiException.invalid("version", "version needs model");
        }
        String state = params.get("state");
        NodeState nodeState = state == null ? null : NodeState.parse("state", state);
        long minFree = number(params, "minFreeMemoryMb", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(params, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String label = params.get("label");
        String labelKey = null;
        String labelValue = null;
        if (label != null) {
            String[] kv = Names.label("label", label);
            labelKey = kv[0];
            labelValue = kv[1];
        }
        return new NodeQuery(model, version, nodeState, minFree, labelKey, labelValue, limit);
    }

    private static String optional(Map<String, String> params, String name, Pattern pattern) {
        String value = params.get(name);
        if (value != null && !pattern.matcher(value).matches()) {
            throw ApiException.invalid(name, name + " must match " + pattern + ", but was \""
                    + Names.abbreviate(value) + "\"");
        }
        return value;
    }

    private static long number(Map<String, String> params, String name, long min, long max, long fallback) {
        String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be a whole number, but was \""
                    + Names.abbreviate(value) + "\"");
        }
        if (n < min || n > max) {
            throw ApiException.invalid(name, name + " must be between " + min + " and " + max + ", but was " + n);
        }
        return n;
    }
}

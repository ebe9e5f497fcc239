package dev.gridstate.gateway.routing;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;

import java.time.Duration;

/** {@code POST /v1/claims}: which node a router wants, and for how long. */
record ClaimRequest(String model, String version, long minFreeMemoryMb, String labelKey, String labelValue,
                    Duration lease) {

    static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    static final long MAX_LEASE_MS = Duration.ofHours(1).toMillis();

    static ClaimRequest read(JsonBody body) {
        String model = body.string("model", Names.MODEL_PART);
        String version = body.optionalString("version", Names.MODEL_PART, null);
        Long minFree = body.optionalNonNegativeLong("minFreeMemoryMb");
        String label = body.optionalString("label", java.util.regex.Pattern.compile("(?s).{1,200}"), null);
        String[] kv = label == null ? null : Names.label("label", label);
        return new ClaimRequest(model, version, minFree == null ? 0 : minFree, kv == null ? null : kv[0],
                kv == null ? null : kv[1], lease(body));
    }

    static Duration lease(JsonBody body) {
        Long leaseMs = body.optionalNonNegativeLong("leaseMs");
        if (leaseMs == null) {
            return DEFAULT_LEASE;
        }
        if (leaseMs < 1 || leaseMs > MAX_LEASE_MS) {
            throw ApiException.invalid("leaseMs", "leaseMs must be between 1 and " + MAX_LEASE_MS + ", but was " + leaseMs);
        }
        return Duration.ofMillis(leaseMs);
    }
}

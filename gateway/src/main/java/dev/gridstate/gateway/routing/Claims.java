package dev.gridstate.gateway.routing;

import dev.gridstate.gateway.registry.RegistrySettings;
import dev.gridstate.gateway.store.Sourced;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Claims on idle nodes. A claim takes the node out of every readiness queue in the same
 * script that picks it, so replicas claiming at once never get one node twice; its lease is the
 * claim key's TTL, and a claim whose lease ran out is void (the node queues again with its next
 * idle heartbeat).
 */
@Singleton
public class Claims {

    private static final LuaScript CLAIM = LuaScript.load("claim");
    private static final LuaScript RENEW = LuaScript.load("claim-renew");
    private static final LuaScript RELEASE = LuaScript.load("claim-release");

    private final StateStore store;
    private final Keys keys;
    private final RegistrySettings settings;

    Claims(StateStore store, Keys keys, RegistrySettings settings) {
        this.store = store;
        this.keys = keys;
        this.settings = settings;
    }

    @Serdeable
    @Schema(name = "Claim", description = "expiresAt in ms since the epoch")
    public record Claim(String claimId, String nodeId, long expiresAt) {
    }

    /** Empty when no node is eligible: an outcome, not an error. */
    public CompletionStage<Optional<Claim>> claim(ClaimRequest r) {
        String queue = r.version() == null ? keys.ready(r.model()) : keys.readyVersion(r.model(), r.version());
        String[] k = r.labelKey() == null ? new String[]{queue} : new String[]{queue, keys.label(r.labelKey(), r.labelValue())};
        String claimId = UUID.randomUUID().toString();
        return store.<List<Object>>write(CLAIM, ScriptOutputType.MULTI, k, String.valueOf(r.minFreeMemoryMb()),
                        String.valueOf(r.lease().toMillis()), claimId, r.model(), r.version() == null ? "" : r.version(),
                        String.valueOf(settings.queryScanCap()))
                .thenApply(Sourced::value)
                .thenApply(res -> res.isEmpty() ? Optional.empty()
                        : Optional.of(new Claim(claimId, (String) res.get(0), Long.parseLong((String) res.get(1)))));
    }

    /** Completes with the new expiry, or empty if the claim is void (expired, released, frozen). */
    public CompletionStage<Optional<Long>> renew(String claimId, Duration lease) {
        return store.<Long>write(RENEW, ScriptOutputType.INTEGER, new String[]{keys.claim(claimId)},
                String.valueOf(lease.toMillis())).thenApply(Sourced::value).thenApply(expires -> expires < 0 ? Optional.empty() : Optional.of(expires));
    }

    /** Completes with false if the claim was already void. */
    public CompletionStage<Boolean> release(String claimId) {
        return store.<Long>write(RELEASE, ScriptOutputType.INTEGER, new String[]{keys.claim(claimId)}, claimId)
                .thenApply(n -> n.value() == 1L);
    }
}

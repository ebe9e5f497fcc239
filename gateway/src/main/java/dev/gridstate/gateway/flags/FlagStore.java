package dev.gridstate.gateway.flags;

import dev.gridstate.gateway.replication.ChangeTracker;
import dev.gridstate.gateway.replication.Durability;
import dev.gridstate.gateway.store.Sourced;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Admin flags on nodes: set and lift atomically with the node's place in the readiness queues. */
@Singleton
public class FlagStore {

    private static final LuaScript SET = LuaScript.load("flag-set");
    private static final LuaScript LIFT = LuaScript.load("flag-lift");
    private static final LuaScript HOLDS = LuaScript.load("node-holds");

    private final StateStore store;
    private final Keys keys;

    private final ChangeTracker changes;
    private final Durability durability;

    FlagStore(StateStore store, Keys keys, ChangeTracker changes, Durability durability) {
        this.store = store;
        this.keys = keys;
        this.changes = changes;
        this.durability = durability;
    }

    /** After the regional write: into the change log, and for a durable kind onto central before the answer. */
    private <T> CompletionStage<T> replicate(CompletionStage<Sourced<T>> written, String nodeId, FlagKind kind) {
        String key = keys.flag(nodeId, kind.wire());
        return written.thenCompose(result -> {
            if (!kind.durable()) {
                changes.changed(key, result.source());
                return CompletableFuture.completedFuture(result.value());
            }
            return durability.writeThrough(key, result.source()).thenApply(durable -> result.value());
        });
    }

    /** Completes with the flag as stored, JSON. A null ttl means until lifted. */
    CompletionStage<String> set(String nodeId, FlagKind kind, String reason, String notice, Duration ttl) {
        return replicate(store.write(SET, ScriptOutputType.VALUE, new String[]{keys.flag(nodeId, kind.wire()), keys.node(nodeId)},
                nodeId, kind.wire(), reason, notice == null ? "" : notice, ttl == null ? "" : String.valueOf(ttl.toMillis())),
                nodeId, kind);
    }

    /** Completes with true if the flag was set. */
    CompletionStage<Boolean> lift(String nodeId, FlagKind kind) {
        return replicate(store.<Long>write(LIFT, ScriptOutputType.INTEGER,
                new String[]{keys.flag(nodeId, kind.wire()), keys.node(nodeId)}, nodeId, kind.wire()), nodeId, kind)
                .thenApply(n -> n == 1L);
    }

    /** Everything that holds a node back from routing, as admins see it (shadow-bans included). */
    public record Holds(Map<String, String> flags, long disconnectedMsLeft, String claimId, boolean routable) {
    }

    public CompletionStage<Holds> holds(String nodeId) {
        return store.<List<Object>>read(HOLDS, ScriptOutputType.MULTI, new String[]{keys.node(nodeId)}, nodeId)
                .thenApply(r -> {
                    Map<String, String> flags = new LinkedHashMap<>();
                    for (int i = 0; i < Keys.FLAG_KINDS.size(); i++) {
                        String json = (String) r.get(i);
                        if (!json.isEmpty()) {
                            flags.put(Keys.FLAG_KINDS.get(i), json);
                        }
                    }
                    long disconnected = (Long) r.get(Keys.FLAG_KINDS.size());
                    String claim = (String) r.get(Keys.FLAG_KINDS.size() + 1);
                    boolean routable = (Long) r.get(Keys.FLAG_KINDS.size() + 2) == 1L;
                    return new Holds(flags, Math.max(disconnected, 0), claim.isEmpty() ? null : claim, routable);
                });
    }
}

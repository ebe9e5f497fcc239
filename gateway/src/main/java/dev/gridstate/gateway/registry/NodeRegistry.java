package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.replication.ChangeTracker;
import dev.gridstate.gateway.store.Failover;
import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The live registry of a region's nodes. Each operation is one atomic script, so a node's
 * record, its heartbeat deadline and its index memberships always change together.
 */
@Singleton
public class NodeRegistry {

    private static final LuaScript REGISTER = LuaScript.load("register");
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");
    /** Entries per heartbeat script call: about 5 ms of Redis time. */
    static final int SCRIPT_BATCH = 100;
    private static final LuaScript DEREGISTER = LuaScript.load("deregister");
    private static final LuaScript GET = LuaScript.load("get");
    private static final LuaScript QUERY = LuaScript.load("query");
    private static final LuaScript SWEEP = LuaScript.load("sweep");
    private static final LuaScript DISCONNECT = LuaScript.load("disconnect");

    private final StateStore store;
    private final Keys keys;
    private final RegistrySettings settings;
    private final JsonMapper json;
    private final ChangeTracker changes;
    private final Failover failover;

    NodeRegistry(StateStore store, Keys keys, RegistrySettings settings, JsonMapper json, ChangeTracker changes,
                 Failover failover) {
        this.store = store;
        this.changes = changes;
        this.failover = failover;
        this.keys = keys;
        this.settings = settings;
        this.json = json;
    }

    /** Registers or replaces a node; completes with true when the node was new. */
    CompletionStage<Boolean> register(String nodeId, Registration r) {
        Set<String> sortedIndexes = new LinkedHashSet<>();
        sortedIndexes.add(keys.freeMemory());
        for (NodeSpec.Model m : r.spec().models()) {
            sortedIndexes.add(keys.model(m.name()));
            sortedIndexes.add(keys.modelVersion(m.name(), m.version()));
        }
        List<String> labelIndexes = r.spec().labels().entrySet().stream()
                .map(e -> keys.label(e.getKey(), e.getValue())).toList();
        Set<String> readiness = new LinkedHashSet<>();
        for (NodeSpec.Model m : r.spec().models()) {
            readiness.add(keys.ready(m.name()));
            readiness.add(keys.readyVersion(m.name(), m.version()));
        }
        return store.<Long>write(REGISTER, ScriptOutputType.INTEGER, new String[]{keys.node(nodeId), keys.online()},
                nodeId, String.valueOf(settings.heartbeatTtl().toMillis()), write(r.spec()), r.state().wire(),
                String.valueOf(r.freeMemoryMb()), String.join(" ", sortedIndexes), String.join(" ", labelIndexes),
                String.join(" ", readiness))
                .thenApply(replaced -> {
                    changes.changed(keys.node(nodeId), replaced.source());
                    return replaced.value() == 0L;
                });
    }

    /**
     * What one heartbeat found: whether the store knew the node, and the directives the store has
     * for it, JSON each: the admin flags it may see (shadow-bans are never among them), and
     * {@code {"type":"assignments"}} while jobs wait for it.
     */
    record Beat(boolean known, List<String> stored) {
    }

    /**
     * Heart-beats a batch; completes with one {@link Beat} per entry, in order. A batch runs as
     * scripts of at most {@link #SCRIPT_BATCH} entries, one after the other: each heartbeat costs
     * Redis about 40–50 µs, so a batch of 1000 in one script would hold Redis for 50 ms, past the
     * regional call timeout, and stall every other caller for as long.
     */
    CompletionStage<List<Beat>> heartbeat(List<Heartbeat> beats) {
        if (beats.size() <= SCRIPT_BATCH) {
            // Every single heartbeat and most batches: one script, nothing to put together.
            return heartbeatScript(beats);
        }
        List<Beat> found = new ArrayList<>(beats.size());
        CompletionStage<List<Beat>> done = CompletableFuture.completedFuture(found);
        for (int from = 0; from < beats.size(); from += SCRIPT_BATCH) {
            List<Heartbeat> part = beats.subList(from, Math.min(beats.size(), from + SCRIPT_BATCH));
            done = done.thenCompose(sofar -> heartbeatScript(part).thenApply(more -> {
                sofar.addAll(more);
                return sofar;
            }));
        }
        return done;
    }

    private CompletionStage<List<Beat>> heartbeatScript(List<Heartbeat> beats) {
        String[] k = new String[beats.size() + 1];
        String[] args = new String[beats.size() * 3 + 1];
        k[0] = keys.online();
        args[0] = String.valueOf(settings.heartbeatTtl().toMillis());
        for (int i = 0; i < beats.size(); i++) {
            Heartbeat hb = beats.get(i);
            k[i + 1] = keys.node(hb.nodeId());
            args[1 + i * 3] = hb.nodeId();
            args[2 + i * 3] = hb.state().wire();
            args[3 + i * 3] = hb.freeMemoryMb() == null ? "" : String.valueOf(hb.freeMemoryMb());
        }
        return store.<List<List<Object>>>write(HEARTBEAT, ScriptOutputType.MULTI, k, args)
                .thenApply(answer -> {
                    List<List<Object>> results = answer.value();
                    List<Beat> found = new ArrayList<>(results.size());
                    for (int i = 0; i < results.size(); i++) {
                        List<Object> entry = results.get(i);
                        boolean known = (Long) entry.get(0) == 1L;
                        if (known) {
                            changes.beat(k[i + 1], answer.source());
                        } else if (answer.source() == Source.REGIONAL) {
                            failover.suspectLoss();
                        }
                        found.add(new Beat(known, entry.subList(1, entry.size()).stream().map(String.class::cast).toList()));
                    }
                    return found;
                });
    }

    /** Completes with false for a node the store does not know. */
    CompletionStage<Boolean> disconnect(String nodeId, java.time.Duration expected) {
        return store.<Long>write(DISCONNECT, ScriptOutputType.INTEGER, new String[]{keys.node(nodeId)}, nodeId,
                String.valueOf(expected.toMillis())).thenApply(known -> {
                    changes.changed(keys.node(nodeId), known.source());
                    return known.value() == 1L;
                });
    }

    CompletionStage<Boolean> deregister(String nodeId) {
        return store.<Long>write(DEREGISTER, ScriptOutputType.INTEGER, new String[]{keys.node(nodeId), keys.online()}, nodeId)
                .thenApply(found -> {
                    changes.changed(keys.node(nodeId), found.source());
                    return found.value() == 1L;
                });
    }

    CompletionStage<Optional<NodeView>> get(String nodeId) {
        return store.<List<Object>>read(GET, ScriptOutputType.MULTI, new String[]{keys.node(nodeId), keys.online()}, nodeId)
                .thenApply(r -> {
                    if (r.isEmpty()) {
                        return Optional.empty();
                    }
                    long now = Long.parseLong((String) r.get(0));
                    String deadline = (String) r.get(1);
                    boolean online = !deadline.isEmpty() && Double.parseDouble(deadline) > now;
                    return Optional.of(view(nodeId, online, r, 2));
                });
    }

    CompletionStage<List<NodeView>> find(NodeQuery q) {
        String candidates = q.model() == null ? keys.freeMemory()
                : q.version() == null ? keys.model(q.model()) : keys.modelVersion(q.model(), q.version());
        String[] k = q.labelKey() == null
                ? new String[]{candidates, keys.online()}
                : new String[]{candidates, keys.online(), keys.label(q.labelKey(), q.labelValue())};
        return store.<List<Object>>read(QUERY, ScriptOutputType.MULTI, k,
                        String.valueOf(q.minFreeMemoryMb()), String.valueOf(q.limit()),
                        q.state() == null ? "" : q.state().wire(), keys.nodePrefix(),
                        String.valueOf(settings.queryScanCap()))
                .thenApply(r -> {
                    List<NodeView> nodes = new ArrayList<>(r.size() / 6);
                    for (int i = 0; i < r.size(); i += 6) {
                        nodes.add(view((String) r.get(i), true, r, i + 1));
                    }
                    return nodes;
                });
    }

    /** Takes expired nodes out of the indexes; completes with the ids it took offline. */
    CompletionStage<List<String>> sweep() {
        return store.<List<String>>write(SWEEP, ScriptOutputType.MULTI, new String[]{keys.online()},
                String.valueOf(settings.sweepBatch()), String.valueOf(settings.offlineRetention().toMillis()),
                keys.nodePrefix()).thenApply(offline -> {
                    offline.value().forEach(id -> changes.changed(keys.node(id), offline.source()));
                    return offline.value();
                });
    }

    /** Reads spec, state, free, registeredAt, lastHeartbeatAt from {@code r} at {@code from}. */
    private NodeView view(String nodeId, boolean online, List<Object> r, int from) {
        NodeSpec spec = read((String) r.get(from));
        return NodeView.of(keys.region(), nodeId, online, spec, (String) r.get(from + 1),
                Long.parseLong((String) r.get(from + 2)), Long.parseLong((String) r.get(from + 3)),
                Long.parseLong((String) r.get(from + 4)));
    }

    private String write(NodeSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spec of a node as JSON", e);
        }
    }

    private NodeSpec read(String spec) {
        try {
            return json.readValue(spec, NodeSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a node record holds a spec that is not valid JSON: " + spec, e);
        }
    }
}

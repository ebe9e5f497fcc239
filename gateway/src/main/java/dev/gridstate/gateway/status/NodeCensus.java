package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.Sourced;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * Online nodes by model and reported state (idle, busy, draining), counted by walking the
 * region's heartbeat deadlines ({@code {r}:online}) at {@code gateway.status.census-rate} nodes a
 * second and reading each node's state: there is no index by state to take the size of.
 */
@Singleton
class NodeCensus extends PacedWalk {

    private static final LuaScript CENSUS = LuaScript.load("status-census");
    /** About 1 ms of Redis time: no longer than a heartbeat batch holds it. */
    private static final int PAGE = 100;

    /** A pass's counts: [idle, busy, draining, other]. */
    record Counts(long[] total, Map<String, long[]> byModel, long countedAt, long tookMs) {

        long nodes() {
            return total[0] + total[1] + total[2] + total[3];
        }
    }

    private final StateStore store;
    private final Keys keys;
    private final String modelPrefix;
    private long[] total;
    private Map<String, long[]> byModel;
    private volatile Counts last;

    NodeCensus(StateStore store, Keys keys) {
        super("census of online nodes", PAGE);
        this.store = store;
        this.keys = keys;
        this.modelPrefix = keys.model("");
    }

    @Override
    protected CompletionStage<Sourced<List<Object>>> page(String cursor, int count) {
        return store.readSourced(CENSUS, ScriptOutputType.MULTI, new String[]{keys.online()}, cursor,
                String.valueOf(count), modelPrefix);
    }

    @Override
    protected void begin() {
        total = new long[4];
        byModel = new TreeMap<>();
    }

    @Override
    protected void take(List<Object> reply) {
        add(total, reply, 2);
        for (int i = 6; i + 4 < reply.size(); i += 5) {
            add(byModel.computeIfAbsent((String) reply.get(i), m -> new long[4]), reply, i + 1);
        }
    }

    @Override
    protected void finish(long startedAt, long now) {
        last = new Counts(total, byModel, now, now - startedAt);
    }

    /** The newest complete census; null before the first. */
    Counts last() {
        return last;
    }

    /** The models of the newest census and of the one under way, by name. */
    List<String> models() {
        TreeMap<String, long[]> all = new TreeMap<>();
        Counts done = last;
        if (done != null) {
            all.putAll(done.byModel());
        }
        if (byModel != null) {
            all.putAll(byModel);
        }
        return List.copyOf(all.keySet());
    }

    private static void add(long[] into, List<Object> reply, int from) {
        for (int j = 0; j < 4; j++) {
            into[j] += (Long) reply.get(from + j);
        }
    }
}

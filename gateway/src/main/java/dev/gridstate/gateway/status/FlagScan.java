package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.Sourced;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * Every admin flag of the region (shadow-bans included: the page is for admins), found by walking
 * the keyspace with SCAN at {@code gateway.status.flag-scan-rate} keys a second, since flags have
 * no index: the newest few by {@code setAt}, and how many of each kind.
 */
@Singleton
class FlagScan extends PacedWalk {

    private static final LuaScript FLAGS = LuaScript.load("status-flags");
    /** About 0.5 ms of Redis time. */
    private static final int PAGE = 500;
    private static final Comparator<StatusSnapshot.Flag> OLDEST_FIRST =
            Comparator.comparing(f -> f.setAt() == null ? Long.MIN_VALUE : f.setAt());

    /** A complete pass: the newest flags first. */
    record Found(long total, Map<String, Long> byKind, List<StatusSnapshot.Flag> recent, long scannedAt) {
    }

    private final StateStore store;
    private final Keys keys;
    private final JsonMapper json;
    private final int keep;
    private PriorityQueue<StatusSnapshot.Flag> newest;
    private Map<String, Long> byKind;
    private long total;
    private volatile Found last;

    FlagScan(StateStore store, Keys keys, JsonMapper json, StatusSettings settings) {
        super("flag listing", PAGE);
        this.store = store;
        this.keys = keys;
        this.json = json;
        this.keep = settings.recentFlags();
    }

    @Override
    protected CompletionStage<Sourced<List<Object>>> page(String cursor, int count) {
        return store.readSourced(FLAGS, ScriptOutputType.MULTI, new String[]{keys.online()}, cursor, String.valueOf(count));
    }

    @Override
    protected void begin() {
        newest = new PriorityQueue<>(OLDEST_FIRST);
        byKind = new TreeMap<>();
        total = 0;
    }

    @Override
    protected void take(List<Object> reply) {
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            StatusSnapshot.Flag flag = flag((String) reply.get(i), (String) reply.get(i + 1));
            total++;
            byKind.merge(flag.kind(), 1L, Long::sum);
            newest.add(flag);
            if (newest.size() > keep) {
                newest.poll();
            }
        }
    }

    @Override
    protected void finish(long startedAt, long now) {
        List<StatusSnapshot.Flag> recent = new ArrayList<>(newest);
        recent.sort(OLDEST_FIRST.reversed());
        last = new Found(total, byKind, List.copyOf(recent), now);
    }

    /** The newest complete pass; null before the first. */
    Found last() {
        return last;
    }

    /** {@code nodeAndKind} is {@code <node id>:<kind>} (node ids hold no ':'); {@code stored} the flag's JSON. */
    private StatusSnapshot.Flag flag(String nodeAndKind, String stored) {
        int colon = nodeAndKind.indexOf(':');
        String nodeId = colon < 0 ? nodeAndKind : nodeAndKind.substring(0, colon);
        String kind = colon < 0 ? "?" : nodeAndKind.substring(colon + 1);
        try {
            JsonNode f = json.readValue(stored, JsonNode.class);
            return new StatusSnapshot.Flag(nodeId, kind, text(f, "reason"), text(f, "notice"), number(f, "setAt"),
                    number(f, "until"));
        } catch (IOException | RuntimeException e) {
            return new StatusSnapshot.Flag(nodeId, kind, "(not readable: " + Parts.reason(e) + ")", null, null, null);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.coerceStringValue();
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? null : v.getLongValue();
    }
}

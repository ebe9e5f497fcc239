package dev.gridstate.state;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The change log between a region and central, as state, not operations: an entity (a node
 * record with its liveness, one admin flag, one Subcloud) is exported whole, stamped with a
 * tick of the region's hybrid logical clock, and applied last-writer-wins by that version.
 * Replaying, reordering or duplicating messages therefore changes nothing, and coalescing is
 * free: many changes to a node within a window are one export of its newest state.
 */
public final class ChangeLog {

    private static final LuaScript EXPORT = LuaScript.load("export");
    private static final LuaScript APPLY = LuaScript.load("apply");

    /** How {@link #apply} treats what is already there. */
    public enum Mode {
        /** On central: an entity changes only if the message is newer than what central holds. */
        NEWEST_WINS("lww"),
        /** On a regional Redis that came back empty: only entities absent there are written. */
        FILL_ABSENT("fill"),
        /** On a regional Redis taking the region back from central: every entity as the message has it, deletions too. */
        COPY("copy");

        private final String arg;

        Mode(String arg) {
            this.arg = arg;
        }
    }

    /** The state of some entities at one version; {@code changes} is a JSON array. */
    public record Export(String version, String changes, int count) {
    }

    /** What one {@link #apply} call did: entities written, entities left as they were, the newest version seen. */
    public record Applied(long applied, long unchanged, String newest) {
    }

    private ChangeLog() {
    }

    /** Exports the current state of {@code entities} (keys of {@code keys}' region) in one atomic read, claims left out. */
    public static CompletionStage<Export> export(RedisClusterAsyncCommands<String, String> redis, Keys keys,
                                                 Collection<String> entities) {
        return export(redis, keys, entities, false);
    }

    /**
     * {@link #export}, with each node's claim and its lease when {@code claims}: what a regional
     * Redis taking the region back from central needs, so no node claimed meanwhile is claimed twice.
     */
    public static CompletionStage<Export> export(RedisClusterAsyncCommands<String, String> redis, Keys keys,
                                                 Collection<String> entities, boolean claims) {
        return export(redis, keys, entities, claims ? new String[]{"claims"} : new String[0]);
    }

    /**
     * {@link #export} from a regional Redis, which must hold the region: it fails with a
     * {@code NOREGION} error when the region's epoch marker is missing (the Redis was flushed or
     * restarted and not refilled yet), instead of exporting every entity asked for as deleted.
     */
    public static CompletionStage<Export> exportHeld(RedisClusterAsyncCommands<String, String> redis, Keys keys,
                                                     Collection<String> entities) {
        return export(redis, keys, entities, new String[]{"", "held"});
    }

    private static CompletionStage<Export> export(RedisClusterAsyncCommands<String, String> redis, Keys keys,
                                                  Collection<String> entities, String[] args) {
        String[] scriptKeys = new String[entities.size() + 1];
        scriptKeys[0] = keys.clock();
        int i = 1;
        for (String entity : entities) {
            scriptKeys[i++] = entity;
        }
        return EXPORT.<List<Object>>eval(redis, ScriptOutputType.MULTI, scriptKeys, args)
                .thenApply(reply -> new Export((String) reply.get(0), (String) reply.get(1), entities.size()));
    }

    /** Applies messages of {@code keys}' region, in order, in one atomic script. */
    public static CompletionStage<Applied> apply(RedisClusterAsyncCommands<String, String> redis, Keys keys, Mode mode,
                                                 List<String> messages) {
        String[] args = new String[messages.size() + 1];
        args[0] = mode.arg;
        for (int i = 0; i < messages.size(); i++) {
            args[i + 1] = messages.get(i);
        }
        String[] scriptKeys = {keys.versions(), keys.clock(), keys.applied()};
        return APPLY.<List<Object>>eval(redis, ScriptOutputType.MULTI, scriptKeys, args)
                .thenApply(reply -> new Applied((Long) reply.get(0), (Long) reply.get(1), (String) reply.get(2)));
    }

    /**
     * Copies {@code entities} from one Redis to another: one atomic export on {@code from} (with
     * claims if asked), applied on {@code to} in {@code mode} as one message changed {@code since}.
     */
    public static CompletionStage<Applied> copy(RedisClusterAsyncCommands<String, String> from, RedisClusterAsyncCommands<String, String> to,
                                                Keys keys, Collection<String> entities, Mode mode, boolean claims, long since) {
        return export(from, keys, entities, claims).thenCompose(export ->
                apply(to, keys, mode, List.of(ChangeMessage.changes(keys.region(), export, since).toJson())));
    }

    /** The key patterns of every change-log entity of a region. */
    public static List<String> entityPatterns(Keys keys) {
        return List.of(keys.nodePrefix() + "*", keys.flagPrefix() + "*", keys.subcloud("*"), keys.jobPrefix() + "*");
    }

    /**
     * Walks every entity of the region on {@code redis}, a page of keys at a time. SCAN returns
     * every key that exists for the whole walk at least once; a page may repeat a key.
     */
    public static void scanEntities(RedisClusterCommands<String, String> redis, Keys keys, int pageSize,
                                    Consumer<List<String>> page) {
        for (String pattern : entityPatterns(keys)) {
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(pageSize);
            ScanCursor cursor = ScanCursor.INITIAL;
            List<String> pending = new ArrayList<>();
            do {
                KeyScanCursor<String> result = redis.scan(cursor, args);
                pending.addAll(result.getKeys());
                if (pending.size() >= pageSize) {
                    page.accept(List.copyOf(pending));
                    pending.clear();
                }
                cursor = result;
            } while (!cursor.isFinished());
            if (!pending.isEmpty()) {
                page.accept(List.copyOf(pending));
            }
        }
    }
}

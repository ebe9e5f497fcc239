package dev.gridstate.gateway.flags;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridstate.gateway.store.Sourced;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.gateway.store.StoredJson;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Region-wide maintenance notices. Every heartbeat answer carries them, so the board is read
 * from Redis at most once per {@link #REFRESH} per process, not once per heartbeat; a replica
 * other than the one that changed it sees the change within that second.
 */
@Singleton
public class NoticeBoard {

    static final Duration REFRESH = Duration.ofSeconds(1);
    private static final LuaScript PUT = LuaScript.load("notice-put");
    private static final LuaScript DELETE = LuaScript.load("notice-delete");
    private static final LuaScript READ = LuaScript.load("notices");
    private static final String BOARD = "board";

    private final StateStore store;
    private final Keys keys;
    private final JsonMapper json;
    // One entry; Caffeine makes concurrent heartbeats share one read when it is stale.
    private final AsyncLoadingCache<String, List<JsonNode>> board;

    NoticeBoard(StateStore store, Keys keys, JsonMapper json) {
        this.store = store;
        this.keys = keys;
        this.json = json;
        this.board = Caffeine.newBuilder().expireAfterWrite(REFRESH)
                .buildAsync((key, executor) -> read().toCompletableFuture());
    }

    /** The live notices, read from Redis at most once per {@link #REFRESH} per process. */
    public CompletionStage<List<JsonNode>> current() {
        return board.get(BOARD);
    }

    CompletionStage<JsonNode> put(String id, String text, Duration ttl) {
        return store.<String>write(PUT, ScriptOutputType.VALUE, new String[]{keys.notices()}, id, text,
                String.valueOf(ttl.toMillis())).thenApply(stored -> {
                    board.synchronous().invalidateAll();
                    return StoredJson.parse(json, stored.value());
                });
    }

    CompletionStage<Boolean> delete(String id) {
        return store.<Long>write(DELETE, ScriptOutputType.INTEGER, new String[]{keys.notices()}, id).thenApply(Sourced::value).thenApply(n -> {
            board.synchronous().invalidateAll();
            return n == 1L;
        });
    }

    private CompletionStage<List<JsonNode>> read() {
        return store.<List<Object>>read(READ, ScriptOutputType.MULTI, new String[]{keys.notices()})
                .thenApply(r -> r.stream().map(o -> StoredJson.parse(json, (String) o)).toList());
    }

}

package dev.gridstate.gateway.store;

import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletionStage;

/**
 * The only way into Redis. Every state operation is one Lua script run atomically on the
 * region's Redis, so indexes never disagree with records, and a script is one round trip.
 */
@Singleton
public class StateStore {

    private final RedisAsyncCommands<String, String> regional;

    StateStore(@Named("regional") StatefulRedisConnection<String, String> regional) {
        this.regional = regional.async();
    }

    public <T> CompletionStage<T> eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return script.eval(regional, type, keys, args);
    }
}

package dev.gridstate.gateway.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The only way into Redis. Every state operation is one Lua script run atomically on the
 * region's Redis, so indexes never disagree with records, and a script is one round trip.
 *
 * <p>Scripts run by SHA; a Redis that lost its script cache (a restart) gets the source once.
 */
@Singleton
public class StateStore {

    private final RedisAsyncCommands<String, String> regional;

    StateStore(@Named("regional") StatefulRedisConnection<String, String> regional) {
        this.regional = regional.async();
    }

    public <T> CompletionStage<T> eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> bySha = regional.<T>evalsha(script.sha(), type, keys, args).toCompletableFuture();
        return bySha.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (unwrap(error) instanceof RedisNoScriptException) {
                return regional.<T>eval(script.source(), type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(unwrap(error));
        }).thenCompose(stage -> stage);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}

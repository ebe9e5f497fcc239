package dev.gridstate.state;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script from the classpath ({@code lua/<name>.lua}) with its SHA-1, for EVALSHA.
 * Every script is prefixed with the key names ({@link Keys#luaHeader()}) and {@code lua/lib.lua},
 * the helpers they share.
 *
 * <p>Scripts run by SHA; a Redis that lost its script cache (a restart) gets the source once.
 */
public record LuaScript(String name, String source, String sha) {

    public static LuaScript load(String name) {
        String source = Keys.luaHeader() + read("lib") + read(name);
        return new LuaScript(name, source, sha1(source));
    }

    /**
     * This script after {@code lua/<prologue>.lua}, in the same atomic call: the prologue sees
     * the same KEYS and ARGV, and may return (or return an error) before the script runs.
     */
    public LuaScript precededBy(String prologue) {
        String source = Keys.luaHeader() + read("lib") + read(prologue) + "\n" + read(name);
        return new LuaScript(prologue + "+" + name, source, sha1(source));
    }

    /**
     * This script followed by {@code lua/<epilogue>.lua}: the script runs as a function, then
     * the epilogue, with the same KEYS and ARGV, in the same atomic call; the script's reply is
     * the reply. The epilogue runs whatever the script returned, and finds in {@code touched}
     * the entities beyond its KEYS that the script changed (lib.lua's {@code touch}).
     */
    public LuaScript followedBy(String epilogue) {
        String source = Keys.luaHeader() + read("lib") + "touched = {}\nlocal reply = (function()\n" + read(name)
                + "\nend)()\n" + read(epilogue) + "\nreturn reply\n";
        return new LuaScript(name + "+" + epilogue, source, sha1(source));
    }

    /** Runs the script on {@code redis}: by SHA, and by source if this Redis does not know it yet. */
    public <T> CompletionStage<T> eval(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type,
                                       String[] keys, String... args) {
        CompletableFuture<T> bySha = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return bySha.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (unwrap(error) instanceof RedisNoScriptException) {
                return redis.<T>eval(source, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(unwrap(error));
        }).thenCompose(stage -> stage);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String read(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + path, e);
        }
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}

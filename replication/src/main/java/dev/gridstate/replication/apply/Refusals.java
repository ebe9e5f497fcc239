package dev.gridstate.replication.apply;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisReadOnlyException;

import java.util.List;
import java.util.Locale;

/**
 * Tells a refusal (central answered, and the answer is no: the messages themselves are bad)
 * from a failure that says nothing about the messages (central unreachable, slow, loading its
 * data, out of memory, or not letting us in). Only a refusal may lead to dropping a message.
 */
public final class Refusals {

    /** Error codes of a Redis that cannot take the write right now, whatever the write. */
    private static final List<String> TRANSIENT_CODES = List.of("LOADING", "BUSY", "READONLY", "OOM", "MASTERDOWN",
            "MISCONF", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "NOAUTH", "WRONGPASS", "NOPERM", "NOSCRIPT", "MOVED",
            "ASK", "CROSSSLOT", "EXECABORT");
    /** Error texts of a Redis that does not run our script at all (so every message would be refused alike). */
    private static final List<String> SYSTEMIC_TEXTS = List.of("ERR unknown command", "ERR max number of clients",
            "ERR unknown mode", "unknown mode ");

    private Refusals() {
    }

    public static boolean isRefusal(Throwable failure) {
        if (!(failure instanceof RedisCommandExecutionException)
                || failure instanceof RedisLoadingException
                || failure instanceof RedisBusyException
                || failure instanceof RedisReadOnlyException
                || failure instanceof RedisNoScriptException) {
            return false;
        }
        String message = String.valueOf(failure.getMessage());
        String code = message.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        if (TRANSIENT_CODES.contains(code)) {
            return false;
        }
        return SYSTEMIC_TEXTS.stream().noneMatch(message::startsWith);
    }
}

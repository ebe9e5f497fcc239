package dev.gridstate.replication.central;

import dev.gridstate.replication.apply.Central;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.Keys;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The only place that talks to central Redis. The connection is asked for on every call, so a
 * central that is down when the replicator starts is simply a failed attempt, retried like any other.
 */
public final class CentralStore {

    private final Supplier<StatefulRedisConnection<String, String>> connection;
    private final Duration timeout;

    public CentralStore(Supplier<StatefulRedisConnection<String, String>> connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** Central as one region's applier sees it: NEWEST_WINS on the region's keys. */
    public Central forRegion(String region) {
        Keys keys = new Keys(region);
        return messages -> apply(keys, messages);
    }

    /** PING, answered within the apply timeout or failed. */
    public CompletableFuture<String> ping() {
        try {
            return connection().async().ping().toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ChangeLog.Applied apply(Keys keys, List<String> messages) throws InterruptedException {
        CompletableFuture<ChangeLog.Applied> applied =
                ChangeLog.apply(connection().async(), keys, ChangeLog.Mode.NEWEST_WINS, messages).toCompletableFuture();
        try {
            return applied.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            applied.cancel(true);
            throw new RedisCommandTimeoutException("central did not answer within " + timeout + " (region "
                    + keys.region() + ", " + messages.size() + " message(s))");
        } catch (InterruptedException e) {
            applied.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private StatefulRedisConnection<String, String> connection() {
        try {
            return connection.get();
        } catch (RedisException e) {
            throw e;
        } catch (RuntimeException e) {
            // The connection bean could not be made (central down at start-up): the next call tries again.
            throw new RedisConnectionException("no connection to central: " + rootMessage(e), e);
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new RedisException(cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}

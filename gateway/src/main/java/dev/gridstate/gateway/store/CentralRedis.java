package dev.gridstate.gateway.store;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection to central, made in the background rather than at start-up or on a caller's
 * thread: a gateway starts and serves its region while central is down, and no request or Redis
 * I/O thread ever waits for central to accept a connection. Until the first connection is made,
 * callers get a {@link RedisConnectionException} at once; after it, Lettuce reconnects by itself.
 */
@Context
public class CentralRedis {

    private static final Logger LOG = LoggerFactory.getLogger(CentralRedis.class);

    private final BeanProvider<StatefulRedisConnection<String, String>> provider;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;

    CentralRedis(@Named("central") BeanProvider<StatefulRedisConnection<String, String>> provider) {
        this.provider = provider;
    }

    @PostConstruct
    void start() {
        connectInBackground();
    }

    /** Waits up to {@code atMost} for the first connection; true if connected. */
    public boolean awaitConnected(Duration atMost) throws InterruptedException {
        long until = System.nanoTime() + atMost.toNanos();
        while (connection == null && System.nanoTime() < until) {
            connectInBackground();
            Thread.sleep(10);
        }
        return connection != null;
    }

    public RedisAsyncCommands<String, String> async() {
        return connection().async();
    }

    public RedisCommands<String, String> sync() {
        return connection().sync();
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c;
        }
        connectInBackground();
        throw new RedisConnectionException("central Redis is not connected (yet); connecting in the background");
    }

    private void connectInBackground() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("central-connect").start(() -> {
            try {
                connection = provider.get();
                LOG.info("connected to central Redis");
            } catch (RuntimeException e) {
                LOG.debug("central Redis not reachable yet: {}", e.toString());
            } finally {
                connecting.set(false);
            }
        });
    }
}

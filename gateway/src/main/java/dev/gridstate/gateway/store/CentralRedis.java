package dev.gridstate.gateway.store;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The connection to central, made on first use rather than at start-up: a gateway starts and
 * serves its region while central is down, and connects once central answers.
 */
@Singleton
public class CentralRedis {

    private final BeanProvider<StatefulRedisConnection<String, String>> connection;

    CentralRedis(@Named("central") BeanProvider<StatefulRedisConnection<String, String>> connection) {
        this.connection = connection;
    }

    /** Throws a Lettuce {@code RedisConnectionException} while central cannot be reached. */
    public RedisAsyncCommands<String, String> async() {
        return connection.get().async();
    }

    public RedisCommands<String, String> sync() {
        return connection.get().sync();
    }
}

package dev.gridstate.gateway.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micronaut.configuration.lettuce.AbstractRedisConfiguration;
import io.micronaut.configuration.lettuce.ClientResourcesMutator;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce set to fail fast, for every named Redis client, before it connects: commands are
 * refused at once while disconnected rather than queued for a Redis that may never come back,
 * every command has the URI's timeout, TCP keepalive finds a dead peer that sent no reset, a
 * connect gives up after a second, and reconnects are retried in the background at most a
 * quarter second apart, so a Redis that restarts is used again within a probe or two.
 * The state store's own, shorter per-call timeouts ({@link StoreSettings}) come on top.
 */
@Singleton
class FailFastRedis implements BeanCreatedEventListener<RedisClient>, ClientResourcesMutator {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(options());
        return client;
    }

    /** The options of every Redis client of the gateway; {@link RegionalRedis} adds a cluster's to them. */
    static ClientOptions options() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable().idle(Duration.ofSeconds(5)).interval(Duration.ofSeconds(1)).count(3).build())
                        .build())
                .build();
    }

    @Override
    public void mutate(ClientResources.Builder builder, AbstractRedisConfiguration config) {
        builder.reconnectDelay(reconnectDelay());
    }

    static Delay reconnectDelay() {
        return Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(250), 2, TimeUnit.MILLISECONDS);
    }
}

package dev.gridstate.replication.central;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Central's client fails fast instead of queueing: while disconnected, commands are rejected at
 * once (the applier retries the batch itself), so no backlog of stale scripts is replayed on
 * reconnect. Commands time out after the URI's timeout.
 */
@Singleton
class CentralClientOptions implements BeanCreatedEventListener<RedisClient> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(15);

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(KEEP_ALIVE_IDLE).build())
                        .build())
                .build());
        return client;
    }
}

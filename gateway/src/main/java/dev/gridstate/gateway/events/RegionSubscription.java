package dev.gridstate.gateway.events;

import dev.gridstate.state.Keys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process's one subscription to the region's events channel, on its own pub/sub connection
 * to the regional Redis. Lettuce reconnects it and subscribes again by itself; each subscription
 * after the first means messages may have been missed meanwhile, so subscribers get a
 * {@code resync}. If Redis does not answer at start-up, it tries again every second (and sends a
 * {@code resync} once it is subscribed).
 */
@Context
class RegionSubscription extends RedisPubSubAdapter<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(RegionSubscription.class);

    private final RedisClient client;
    private final Keys keys;
    private final EventHub hub;
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean failedBefore;
    private volatile boolean closed;

    RegionSubscription(@Named("regional") RedisClient client, Keys keys, EventHub hub) {
        this.client = client;
        this.keys = keys;
        this.hub = hub;
        connect();
    }

    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void connectIfNeeded() {
        if (connection == null) {
            connect();
        }
    }

    @Override
    public void message(String channel, String message) {
        hub.publish(message);
    }

    @Override
    public void subscribed(String channel, long count) {
        // after a gap, or after a start without Redis: subscribers may have missed changes
        if (subscribedBefore.getAndSet(true) || failedBefore) {
            LOG.info("region {}: subscribed to {} again; telling {} subscriber(s) to resync", keys.region(), channel,
                    hub.subscribers());
            hub.resync();
        } else {
            LOG.info("region {}: subscribed to {}", keys.region(), channel);
        }
    }

    private synchronized void connect() {
        if (connection != null || closed) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> opened = null;
        try {
            opened = client.connectPubSub();
            opened.addListener(this);
            opened.sync().subscribe(keys.events());
            connection = opened;
        } catch (RedisException e) {
            if (opened != null) {
                opened.closeAsync();
            }
            if (!failedBefore) {
                failedBefore = true;
                LOG.warn("region {}: cannot subscribe to {} yet, trying every second; the event stream is empty meanwhile: {}",
                        keys.region(), keys.events(), e.toString());
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        // The client may have closed it already when it shut down first.
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
        connection = null;
    }
}

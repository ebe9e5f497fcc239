package dev.gridstate.gateway.events;

import dev.gridstate.state.Keys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One subscription to the region's events channel, on its own pub/sub connection to one of the
 * region's Redis servers ({@link RegionSubscriptions}). Lettuce reconnects it and subscribes
 * again by itself; each subscription after the first means messages may have been missed
 * meanwhile, so subscribers get a {@code resync}. If Redis does not answer at start-up, it tries
 * again every second (and sends a {@code resync} once it is subscribed).
 */
class RegionSubscription extends RedisPubSubAdapter<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(RegionSubscription.class);

    private final String target;
    private final RedisClient client;
    private final Keys keys;
    private final EventHub hub;
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean failedBefore;
    private volatile boolean closed;

    RegionSubscription(String target, RedisClient client, Keys keys, EventHub hub) {
        this.target = target;
        this.client = client;
        this.keys = keys;
        this.hub = hub;
        connect();
    }

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
            LOG.info("region {}: subscribed to {} on the {} Redis again; telling {} subscriber(s) to resync",
                    keys.region(), channel, target, hub.subscribers());
            hub.resync();
        } else {
            LOG.info("region {}: subscribed to {} on the {} Redis", keys.region(), channel, target);
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
                LOG.warn("region {}: cannot subscribe to {} on the {} Redis yet, trying every second; "
                        + "its events are missed meanwhile: {}", keys.region(), keys.events(), target, e.toString());
            }
        }
    }

    synchronized void close() {
        closed = true;
        // The client may have closed it already when it shut down first.
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
        connection = null;
    }
}

package dev.gridstate.gateway.store;

import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One subscription to one of the region's pub/sub channels, on its own connection to one of the
 * region's Redis servers. Lettuce reconnects it and subscribes again by itself; each subscription
 * after the first means messages may have been missed meanwhile, so the owner is told
 * ({@code onResubscribed}) and catches up its own way. If Redis does not answer at start-up,
 * the owner calls {@link #connectIfNeeded()} until it does (and is told once it is subscribed).
 */
public class ChannelSubscription extends RedisPubSubAdapter<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscription.class);

    private final String target;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> connector;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onResubscribed;
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean failedBefore;
    private volatile boolean closed;

    /** {@code target} names the Redis in logs: regional or central; {@code connector} opens a pub/sub connection to it. */
    public ChannelSubscription(String target, Supplier<StatefulRedisPubSubConnection<String, String>> connector,
                               String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        this.target = target;
        this.connector = connector;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
        connect();
    }

    public void connectIfNeeded() {
        if (connection == null) {
            connect();
        }
    }

    @Override
    public void message(String channel, String message) {
        onMessage.accept(message);
    }

    @Override
    public void subscribed(String channel, long count) {
        // after a gap, or after a start without Redis: subscribers may have missed changes
        if (subscribedBefore.getAndSet(true) || failedBefore) {
            LOG.info("subscribed to {} on the {} Redis again; catching up on what was missed", channel, target);
            onResubscribed.run();
        } else {
            LOG.info("subscribed to {} on the {} Redis", channel, target);
        }
    }

    private synchronized void connect() {
        if (connection != null || closed) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> opened = null;
        try {
            opened = connector.get();
            opened.addListener(this);
            opened.sync().subscribe(this.channel);
            connection = opened;
        } catch (RedisException e) {
            if (opened != null) {
                opened.closeAsync();
            }
            if (!failedBefore) {
                failedBefore = true;
                LOG.warn("cannot subscribe to {} on the {} Redis yet, trying every second; "
                        + "its messages are missed meanwhile: {}", this.channel, target, e.toString());
            }
        }
    }

    public synchronized void close() {
        closed = true;
        // The client may have closed it already when it shut down first.
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
        connection = null;
    }
}

package dev.gridstate.replication.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.gridstate.replication.apply.Acknowledger;
import dev.gridstate.replication.apply.Delivery;
import dev.gridstate.replication.apply.Inbox;
import dev.gridstate.state.ChangeTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Subscribes to one region's queue on a channel of its own, with manual acknowledgements and a
 * prefetch, and hands every delivery to the region's {@link Inbox}.
 *
 * <p>The queue has a single active consumer: of the replicators subscribed, the broker delivers
 * to one, and to the next when that one's channel goes away. Being subscribed therefore says
 * nothing about being active; having received a delivery on the current channel does.
 *
 * <p>A lost connection is the client's to recover (it subscribes again on its own). A channel the
 * broker closed or a consumer it cancelled (say, the queue was deleted) is not: {@link
 * #needsSubscription()} says so, and whoever watches calls {@link #subscribe} again.
 */
public final class RegionConsumer implements Acknowledger {

    private static final Logger LOG = LoggerFactory.getLogger(RegionConsumer.class);

    private final String region;
    private final ChangeTopology topology;
    private final int prefetch;
    private final Inbox inbox;
    private volatile Channel channel;
    private volatile boolean lost = true;
    private volatile boolean delivering;
    private volatile long ready = -1;

    public RegionConsumer(String region, ChangeTopology topology, int prefetch, Inbox inbox) {
        this.region = region;
        this.topology = topology;
        this.prefetch = prefetch;
        this.inbox = inbox;
    }

    /** Declares the region's topology and subscribes on a new channel, dropping the old one if any. */
    public synchronized void subscribe(Connection connection) throws IOException {
        abortChannel();
        Channel ch = connection.createChannel();
        delivering = false;
        // Set before consuming: the first deliveries may be applied and acknowledged at once.
        channel = ch;
        try {
            topology.declare(ch, region);
            ch.basicQos(prefetch);
            ch.addShutdownListener(this::channelClosed);
            ch.basicConsume(queue(), false, Map.of(), new Consumer(ch));
        } catch (IOException | RuntimeException e) {
            abortChannel();
            throw e;
        }
        lost = false;
        LOG.info("region {}: subscribed to queue {} (prefetch {})", region, queue(), prefetch);
    }

    /** True when there is no subscription and the client's recovery will not bring one back. */
    public boolean needsSubscription() {
        return lost;
    }

    /** Subscribed on an open channel (active or standing by). */
    public boolean consuming() {
        Channel ch = channel;
        return !lost && ch != null && ch.isOpen();
    }

    /** True once the broker delivered on the current channel: this process is the active consumer. */
    public boolean delivering() {
        return delivering && consuming();
    }

    public String queue() {
        return topology.queue(region);
    }

    /** Messages ready in the queue when last counted, not counting those delivered; -1 before the first count. */
    public long ready() {
        return ready;
    }

    void ready(long count) {
        ready = count;
    }

    @Override
    public void ackUpTo(long tag) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            // A tag of a channel lost since is ignored by the recovering client: the broker redelivers those.
            ch.basicAck(tag, true);
        } catch (IOException | RuntimeException e) {
            LOG.info("region {}: could not acknowledge up to delivery {} ({}); the broker will deliver those again",
                    region, tag, e.toString());
        }
    }

    /** Closes the channel; what was delivered and not acknowledged goes back to the queue. */
    public synchronized void close() {
        lost = true;
        abortChannel();
    }

    private void abortChannel() {
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            Channels.abort(ch);
        }
    }

    private void channelClosed(ShutdownSignalException cause) {
        delivering = false;
        if (cause.isHardError() || cause.isInitiatedByApplication()) {
            // Connection lost (the client recovers the channel and the subscription) or closed by us.
            return;
        }
        lost = true;
        LOG.warn("region {}: the broker closed the channel of queue {} ({}); subscribing again",
                region, queue(), cause.getMessage());
    }

    private final class Consumer extends DefaultConsumer {

        Consumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            Map<String, Object> headers = properties.getHeaders();
            inbox.add(new Delivery(envelope.getDeliveryTag(), new String(body, StandardCharsets.UTF_8),
                    header(headers, Headers.VERSION), since(headers)));
            delivering = true;
        }

        @Override
        public void handleCancel(String consumerTag) {
            lost = true;
            delivering = false;
            LOG.warn("region {}: the broker cancelled the subscription to queue {} (deleted?); subscribing again",
                    region, queue());
        }
    }

    private static String header(Map<String, Object> headers, String name) {
        Object value = headers == null ? null : headers.get(name);
        return value == null ? null : value.toString();
    }

    private static OptionalLong since(Map<String, Object> headers) {
        Object value = headers == null ? null : headers.get(Headers.SINCE);
        if (value instanceof Number number) {
            return OptionalLong.of(number.longValue());
        }
        if (value != null) {
            try {
                return OptionalLong.of(Long.parseLong(value.toString()));
            } catch (NumberFormatException notANumber) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}

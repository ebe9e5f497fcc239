package dev.gridstate.replication.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.gridstate.replication.apply.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * Counts the messages ready in each region's queue with a passive declare, on a channel of its
 * own (a failed passive declare closes the channel it ran on), and renews subscriptions the
 * broker dropped. Run it from one thread.
 */
public final class QueueDepthProbe {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDepthProbe.class);

    private final BrokerConnection broker;
    private final List<RegionConsumer> consumers;
    private final Throttle failureLog;
    private Channel channel;

    public QueueDepthProbe(BrokerConnection broker, List<RegionConsumer> consumers, Throttle failureLog) {
        this.broker = broker;
        this.consumers = consumers;
        this.failureLog = failureLog;
    }

    public void refresh() {
        Connection connection = broker.current().orElse(null);
        if (connection == null || !connection.isOpen()) {
            return;
        }
        for (RegionConsumer consumer : consumers) {
            try {
                if (consumer.needsSubscription()) {
                    consumer.subscribe(connection);
                }
                consumer.ready(channel(connection).queueDeclarePassive(consumer.queue()).getMessageCount());
            } catch (IOException | RuntimeException e) {
                dropChannel();
                if (failureLog.permits()) {
                    LOG.warn("queue {}: cannot count or subscribe ({}); trying again", consumer.queue(), e.toString());
                }
            }
        }
    }

    public void close() {
        dropChannel();
    }

    private Channel channel(Connection connection) throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
        }
        return channel;
    }

    private void dropChannel() {
        if (channel != null) {
            Channels.abort(channel);
            channel = null;
        }
    }
}

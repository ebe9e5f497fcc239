package dev.gridstate.replication.broker;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

final class Channels {

    private static final Logger LOG = LoggerFactory.getLogger(Channels.class);

    private Channels() {
    }

    /** Closes without waiting for the broker; a channel already gone is fine. */
    static void abort(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            LOG.debug("channel {} did not close cleanly: {}", channel.getChannelNumber(), e.toString());
        }
    }
}

package dev.gridstate.testkit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.concurrent.TimeoutException;

/** Deletes queues and exchanges by name; absent ones count as deleted. */
final class BrokerObjects {

    private static final int NOT_FOUND = 404;

    private BrokerObjects() {
    }

    @FunctionalInterface
    private interface ChannelAction {
        void run(Channel channel) throws IOException;
    }

    /** Deletes each name both as a queue and as an exchange. */
    static void delete(ConnectionFactory factory, String brokerDescription, Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        try (Connection connection = factory.newConnection("gridstate-testkit-cleanup")) {
            for (String name : names) {
                ignoringNotFound(connection, "queue '" + name + "'", channel -> channel.queueDelete(name));
                ignoringNotFound(connection, "exchange '" + name + "'", channel -> channel.exchangeDelete(name));
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot delete " + names.size() + " test queues/exchanges on "
                    + brokerDescription + ": " + e, e);
        }
    }

    /** A fresh channel per action, because a 404 closes the channel it happened on. */
    private static void ignoringNotFound(Connection connection, String what, ChannelAction action)
            throws IOException {
        Channel channel = connection.createChannel();
        try {
            action.run(channel);
        } catch (IOException e) {
            if (!isNotFound(e)) {
                throw new UncheckedIOException("cannot delete " + what, e);
            }
        } finally {
            channel.abort();
        }
    }

    static boolean isNotFound(Exception e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == NOT_FOUND;
    }
}

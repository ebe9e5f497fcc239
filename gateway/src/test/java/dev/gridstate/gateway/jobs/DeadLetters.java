package dev.gridstate.gateway.jobs;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.testkit.RabbitBroker;

import java.util.ArrayList;
import java.util.List;

/**
 * The region's dead-letter queue on the shared broker, looked at without taking anything from
 * it: messages are fetched unacknowledged and go back when the channel closes.
 */
final class DeadLetters {

    private static final int MOST = 1_000;

    private DeadLetters() {
    }

    /** The message ids (job ids) in the dead-letter queue now, one per message. */
    static List<String> jobIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = RabbitBroker.shared().connectionFactory().newConnection("jobs-it-dead-letters")) {
            Channel channel = connection.createChannel();
            GetResponse message;
            while (ids.size() < MOST && (message = channel.basicGet(TestGateway.deadJobQueue(TestRegion.NAME), false)) != null) {
                ids.add(message.getProps().getMessageId());
            }
            channel.close();
        }
        return ids;
    }

    static long count(String jobId) throws Exception {
        return jobIds().stream().filter(jobId::equals).count();
    }
}

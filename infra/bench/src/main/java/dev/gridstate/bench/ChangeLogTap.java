package dev.gridstate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.gridstate.testkit.RabbitBroker;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * What the change log weighs: a queue of this run's own, bound to the change exchange beside the
 * replicator's queues for a short while, then read out and deleted. Its copy of each message costs
 * the broker a little, so it runs after the measured window, not during it.
 *
 * @param messages    messages read from the tap
 * @param bodyBytes   their bodies (the JSON the replicator applies), summed
 * @param headerBytes their AMQP headers' names and values as text, summed (framing not counted)
 * @param entities    entries of the bodies' {@code changes} arrays, summed
 * @param listened    how long the tap was bound
 */
record ChangeLogTap(long messages, long bodyBytes, long headerBytes, long entities, Duration listened) {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int MAX_MESSAGES = 200_000;
    private static final Duration READ_BOUND = Duration.ofSeconds(30);

    /** Listens on every region's routing key of {@code exchange} for {@code listen}, then reads what came. */
    static ChangeLogTap sample(RabbitBroker broker, String exchange, Duration listen) {
        String queue = broker.uniqueName("bench-tap");
        try (Connection connection = broker.connectionFactory().newConnection("bench-change-log-tap")) {
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, false, false, false, Map.of("x-max-length", MAX_MESSAGES));
            channel.queueBind(queue, exchange, "region.*");
            Run.pause(listen.toMillis());
            channel.queueUnbind(queue, exchange, "region.*");
            long messages = 0;
            long body = 0;
            long headers = 0;
            long entities = 0;
            long deadline = System.nanoTime() + READ_BOUND.toNanos();
            GetResponse got;
            while (messages < MAX_MESSAGES && System.nanoTime() < deadline && (got = channel.basicGet(queue, true)) != null) {
                messages++;
                body += got.getBody().length;
                entities += JSON.readTree(got.getBody()).path("changes").size();
                Map<String, Object> h = got.getProps().getHeaders();
                if (h != null) {
                    for (Map.Entry<String, Object> e : h.entrySet()) {
                        headers += e.getKey().length() + String.valueOf(e.getValue()).length();
                    }
                }
            }
            channel.queueDelete(queue);
            return new ChangeLogTap(messages, body, headers, entities, listen);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot tap the change log on exchange " + exchange + ": " + e, e);
        }
    }

    double bodyBytesPerMessage() {
        return messages == 0 ? Double.NaN : bodyBytes / (double) messages;
    }

    double bodyBytesPerEntity() {
        return entities == 0 ? Double.NaN : bodyBytes / (double) entities;
    }
}

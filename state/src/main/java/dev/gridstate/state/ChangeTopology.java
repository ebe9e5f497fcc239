package dev.gridstate.state;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import java.io.IOException;
import java.util.Map;

/**
 * Where the change log travels in RabbitMQ: one durable topic exchange, and per region a
 * quorum queue with a single active consumer, bound by the region's routing key.
 *
 * <p>A quorum queue keeps order and survives a broker restart; single active consumer lets two
 * replicators subscribe while only one applies, so a region's changes are applied in order and
 * the standby takes over, from the first unacknowledged message, when the active one dies.
 * Gateways and replicators both declare it, with the same arguments, at start-up.
 */
public record ChangeTopology(String exchange, String queuePrefix) {

    public static final ChangeTopology DEFAULT = new ChangeTopology("gridstate.changes", "gridstate.changes.");

    /** AMQP header of every message: its region (String). */
    public static final String HEADER_REGION = "region";
    /** AMQP header of every message: its version, a decimal long (String). */
    public static final String HEADER_VERSION = "version";
    /** AMQP header of every message: when the oldest change it carries was made, epoch ms (Long). */
    public static final String HEADER_SINCE = "since";

    public String queue(String region) {
        return queuePrefix + region;
    }

    public String routingKey(String region) {
        return "region." + region;
    }

    /** Declares the exchange and the region's queue and binding; safe to repeat. */
    public void declare(Channel channel, String region) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel.queueDeclare(queue(region), true, false, false,
                Map.of("x-queue-type", "quorum", "x-single-active-consumer", true));
        channel.queueBind(queue(region), exchange, routingKey(region));
    }
}

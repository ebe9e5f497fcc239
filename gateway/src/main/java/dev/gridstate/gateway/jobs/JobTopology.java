package dev.gridstate.gateway.jobs;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import java.io.IOException;
import java.util.Map;

/**
 * Where jobs travel in RabbitMQ (see {@code infra/rabbitmq/JOBS.md}): a durable direct exchange,
 * and per region and model a durable quorum queue bound by {@code <region>.<model>}, with a
 * delivery limit and a dead-letter exchange. Dead-lettering is at-least-once (quorum queues
 * keep a dead job until the dead-letter queue confirmed it), which needs {@code reject-publish}
 * overflow. Every declaration is idempotent: gateways declare what they publish to or consume.
 */
record JobTopology(String exchange, String queuePrefix, String region, int deliveryLimit) {

    static JobTopology of(JobSettings settings, String region) {
        return new JobTopology(settings.exchange(), settings.queuePrefix(), region, settings.deliveryLimit());
    }

    String queue(String model) {
        return queuePrefix + region + "." + model;
    }

    String routingKey(String model) {
        return region + "." + model;
    }

    String deadExchange() {
        return exchange + ".dead";
    }

    String deadQueue() {
        return queuePrefix + region + ".dead";
    }

    void declare(Channel channel, String model) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(deadExchange(), BuiltinExchangeType.DIRECT, true);
        channel.queueDeclare(deadQueue(), true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind(deadQueue(), deadExchange(), region);
        channel.queueDeclare(queue(model), true, false, false, Map.of(
                "x-queue-type", "quorum",
                "x-delivery-limit", deliveryLimit,
                "x-dead-letter-exchange", deadExchange(),
                "x-dead-letter-routing-key", region,
                "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish"));
        channel.queueBind(queue(model), exchange, routingKey(model));
    }
}

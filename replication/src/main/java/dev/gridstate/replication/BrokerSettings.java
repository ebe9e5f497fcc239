package dev.gridstate.replication;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The replicator's RabbitMQ connection ({@code replication.broker.*}); the broker itself is
 * {@code rabbitmq.uri}. Every wait is bounded, so a dead or hung broker never holds up a shutdown
 * for long (the client's default RPC timeout is 10 minutes).
 *
 * @param connectTimeout   TCP connect and AMQP handshake, each
 * @param rpcTimeout       any synchronous channel call (declare, qos, consume)
 * @param heartbeat        the heartbeat asked of the broker; a silent peer is detected after about twice this
 * @param recoveryInterval pause between attempts to reconnect after the connection was lost
 * @param closeTimeout     how long closing the connection may take at shutdown
 */
@Context
@ConfigurationProperties("replication.broker")
public record BrokerSettings(
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "5s") Duration rpcTimeout,
        @Bindable(defaultValue = "10s") Duration heartbeat,
        @Bindable(defaultValue = "1s") Duration recoveryInterval,
        @Bindable(defaultValue = "2s") Duration closeTimeout) {

    public BrokerSettings {
        Checks.positive("replication.broker.connect-timeout", connectTimeout);
        Checks.positive("replication.broker.rpc-timeout", rpcTimeout);
        Checks.positive("replication.broker.heartbeat", heartbeat);
        Checks.positive("replication.broker.recovery-interval", recoveryInterval);
        Checks.positive("replication.broker.close-timeout", closeTimeout);
    }
}

package dev.gridstate.gateway.jobs;

import com.rabbitmq.client.ConnectionFactory;

/** Connections to RabbitMQ for jobs: failures are handled by their owners, quickly, not by the client's recovery. */
final class Broker {

    private Broker() {
    }

    static ConnectionFactory connections(String uri) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("rabbitmq.uri is not an AMQP URI", e);
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(1_000);
        factory.setHandshakeTimeout(2_000);
        factory.setChannelRpcTimeout(5_000);
        factory.setRequestedHeartbeat(5);
        return factory;
    }
}

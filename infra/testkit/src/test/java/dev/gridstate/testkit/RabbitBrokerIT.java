package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RabbitBrokerIT {

    @Test
    @DisplayName("every test of a JVM gets the same broker, which accepts connections")
    void shouldShareOneBrokerPerJvm() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();

        try (Connection connection = broker.connectionFactory().newConnection("rabbit-broker-it")) {
            assertThat(connection.isOpen()).isTrue();
        }
        assertThat(RabbitBroker.shared()).isSameAs(broker);
    }

    @Test
    @DisplayName("deleteNamesHandedOut deletes the queues and exchanges named by uniqueName")
    void shouldDeleteQueuesAndExchangesWhenNamesAreDeleted() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        String queue = broker.uniqueName("queue");
        String exchange = broker.uniqueName("exchange");
        String neverDeclared = broker.uniqueName("unused");
        try (Connection connection = broker.connectionFactory().newConnection("rabbit-broker-it");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null);
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);

            broker.deleteNamesHandedOut();

            assertThat(queue).isNotEqualTo(exchange).isNotEqualTo(neverDeclared).startsWith("gs-test-");
            assertThat(notFound(connection, ch -> ch.queueDeclarePassive(queue))).isTrue();
            assertThat(notFound(connection, ch -> ch.exchangeDeclarePassive(exchange))).isTrue();
        }
        broker.deleteNamesHandedOut();
    }

    @FunctionalInterface
    private interface PassiveDeclare {
        void run(Channel channel) throws IOException;
    }

    private static boolean notFound(Connection connection, PassiveDeclare declare) throws IOException {
        Channel channel = connection.createChannel();
        IOException failure = catchThrowableOfType(IOException.class, () -> declare.run(channel));
        return failure != null && BrokerObjects.isNotFound(failure);
    }
}

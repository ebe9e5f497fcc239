package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forces the private-node path even though a shared broker runs on this machine. */
class PrivateRabbitNodeIT {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateRabbitNodeIT.class);

    @Test
    @DisplayName("a private node starts on its own loopback port and takes a declare, publish and get")
    void shouldDeclarePublishAndGetOnPrivateNode() throws Exception {
        long start = System.nanoTime();
        RabbitBroker broker = RabbitBroker.startPrivate();
        LOG.info("private node ready after {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
        try (Connection connection = broker.connectionFactory().newConnection("private-node-it");
                Channel channel = connection.createChannel()) {
            String queue = broker.uniqueName("private");

            channel.queueDeclare(queue, false, false, false, null);
            channel.basicPublish("", queue, null, "hello".getBytes(StandardCharsets.UTF_8));

            GetResponse response = await().atMost(Duration.ofSeconds(5))
                    .until(() -> channel.basicGet(queue, true), got -> got != null);
            assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(broker.uri()).startsWith("amqp://guest:guest@127.0.0.1:").doesNotEndWith(":5672");
        } finally {
            broker.close();
        }
        assertThat(AmqpConnections.accepts(broker.uri(), Duration.ofSeconds(1))).isFalse();
    }

    @Test
    @DisplayName("closing a private node leaves none of its processes behind")
    void shouldLeaveNoProcessWhenNodeIsClosed() {
        PrivateRabbitNode node = PrivateRabbitNode.start(RabbitScripts.find().orElseThrow());
        List<ProcessHandle> processes = node.processes();
        assertThat(processes).hasSizeGreaterThan(1);
        assertThat(node.isRunning()).isTrue();

        node.close();

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(node.isRunning()).isFalse();
        assertThat(AmqpConnections.accepts(node.uri(), Duration.ofSeconds(1))).isFalse();
    }
}

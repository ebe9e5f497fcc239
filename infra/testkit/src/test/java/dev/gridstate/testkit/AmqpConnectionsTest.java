package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmqpConnectionsTest {

    @Test
    void shouldHideThePasswordInMessages() {
        assertThat(AmqpConnections.redact("amqp://guest:secret@127.0.0.1:5672"))
                .isEqualTo("amqp://guest:***@127.0.0.1:5672");
        assertThat(AmqpConnections.redact("amqp://127.0.0.1:5672")).isEqualTo("amqp://127.0.0.1:5672");
    }

    @Test
    void shouldConfigureTheFactoryFromTheUri() {
        var factory = AmqpConnections.factory("amqp://user:pw@127.0.0.1:41001/vh");

        assertThat(factory.getHost()).isEqualTo("127.0.0.1");
        assertThat(factory.getPort()).isEqualTo(41001);
        assertThat(factory.getUsername()).isEqualTo("user");
        assertThat(factory.getVirtualHost()).isEqualTo("vh");
    }

    @Test
    void shouldNameTheUriItCannotUseWithoutItsPassword() {
        assertThatThrownBy(() -> AmqpConnections.factory("http://user:pw@127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://user:***@127.0.0.1");
    }
}

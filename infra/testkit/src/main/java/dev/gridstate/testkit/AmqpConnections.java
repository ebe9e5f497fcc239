package dev.gridstate.testkit;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Connection factories for an AMQP URI, and the "does a broker answer there" probe. */
final class AmqpConnections {

    private AmqpConnections() {
    }

    static ConnectionFactory factory(String uri) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a usable AMQP URI: '" + redact(uri) + "'", e);
        }
        return factory;
    }

    /** True if a broker at {@code uri} completes an AMQP handshake within {@code timeout}. */
    static boolean accepts(String uri, Duration timeout) {
        ConnectionFactory factory = factory(uri);
        int millis = Math.toIntExact(timeout.toMillis());
        factory.setConnectionTimeout(millis);
        factory.setHandshakeTimeout(millis);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection connection = factory.newConnection("gridstate-testkit-probe")) {
            return connection.isOpen();
        } catch (IOException | TimeoutException notThere) {
            return false;
        }
    }

    /** The URI without its password, for messages. */
    static String redact(String uri) {
        return uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:***@");
    }
}

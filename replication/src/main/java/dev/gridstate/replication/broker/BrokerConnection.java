package dev.gridstate.replication.broker;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.gridstate.replication.apply.Backoff;
import dev.gridstate.replication.apply.Sleeper;
import dev.gridstate.replication.apply.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The replicator's one connection to RabbitMQ. The first connect is retried here until it
 * succeeds; after that, the client's automatic recovery reconnects, reopens the channels and
 * subscribes the consumers again. Every wait on the broker is bounded by the timeouts given.
 */
public final class BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final String CONNECTION_NAME = "replicator";

    private final ConnectionFactory factory;
    private final String where;
    private final Duration closeTimeout;
    private volatile Connection connection;

    /** Timeouts of the connection; see {@code BrokerSettings} for what each bounds. */
    public record Timeouts(Duration connect, Duration rpc, Duration heartbeat, Duration recoveryInterval,
                           Duration close) {
    }

    /** {@code uri} is an AMQP URI ({@code rabbitmq.uri}); {@code uriKey} names its setting in errors. */
    public BrokerConnection(String uri, String uriKey, Timeouts timeouts) {
        this.where = redact(uri);
        this.closeTimeout = timeouts.close();
        this.factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException(uriKey + " must be an AMQP URI (amqp://user:password@host:5672/vhost),"
                    + " but was '" + where + "': " + e.getMessage(), e);
        }
        factory.setConnectionTimeout(millis(timeouts.connect()));
        factory.setHandshakeTimeout(millis(timeouts.connect()));
        factory.setChannelRpcTimeout(millis(timeouts.rpc()));
        factory.setRequestedHeartbeat((int) Math.max(1, timeouts.heartbeat().toSeconds()));
        factory.setShutdownTimeout(millis(timeouts.close()));
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(timeouts.recoveryInterval().toMillis());
    }

    /**
     * Connects, trying again after a growing pause until it works or {@code keepTrying} says
     * stop; empty then.
     */
    public Optional<Connection> open(BooleanSupplier keepTrying, Backoff backoff, Sleeper sleeper, Throttle failureLog)
            throws InterruptedException {
        int failures = 0;
        while (keepTrying.getAsBoolean()) {
            try {
                connection = factory.newConnection(CONNECTION_NAME);
                watch(connection);
                LOG.info("connected to RabbitMQ at {} after {} failed attempt(s)", where, failures);
                return Optional.of(connection);
            } catch (IOException | TimeoutException e) {
                failures++;
                if (failureLog.permits()) {
                    LOG.warn("cannot connect to RabbitMQ at {} ({}); trying again, {} failed attempt(s) so far",
                            where, e.toString(), failures);
                }
                sleeper.sleep(backoff.delay(failures));
            }
        }
        return Optional.empty();
    }

    private void watch(Connection c) {
        c.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("lost the connection to RabbitMQ at {} ({}); reconnecting", where, cause.getMessage());
            }
        });
        if (c instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    LOG.info("reconnected to RabbitMQ at {}; subscriptions renewed", where);
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    LOG.debug("reconnecting to RabbitMQ at {}", where);
                }
            });
        }
    }

    public Optional<Connection> current() {
        return Optional.ofNullable(connection);
    }

    public boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** Where it connects, without the password. */
    public String where() {
        return where;
    }

    /** Closes the connection (and so every channel: the broker requeues what was not acknowledged), bounded in time. */
    public void close() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        // abort: never throws, also while the connection is being recovered, and waits at most closeTimeout.
        c.abort(millis(closeTimeout));
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    static String redact(String uri) {
        return uri == null ? "null" : uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:***@");
    }
}

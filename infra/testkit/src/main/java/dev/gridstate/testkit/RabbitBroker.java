package dev.gridstate.testkit;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A RabbitMQ broker for the tests of one JVM, found or started on first use of {@link #shared()}:
 * the broker at {@code RABBITMQ_URI} (default {@code amqp://guest:guest@127.0.0.1:5672}) if it
 * answers within 2 s; else a private node from the installed rabbitmq-server on free loopback
 * ports; else a RabbitMQ container through Docker; else {@link MissingComponentException}.
 *
 * <p>Tests share the broker, so they name their queues and exchanges with
 * {@link #uniqueName(String)}; those are deleted by {@link #deleteNamesHandedOut()} and at JVM
 * shutdown, when a private node or container is also stopped.
 */
public final class RabbitBroker {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitBroker.class);
    private static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final DockerImageName IMAGE = DockerImageName.parse("rabbitmq:3.13-alpine");
    private static RabbitBroker shared;

    private final String uri;
    private final String description;
    private final UniqueNames names;
    private final AutoCloseable backend;
    private final long hookId;
    private boolean closed;

    private RabbitBroker(String uri, String description, AutoCloseable backend) {
        this.uri = uri;
        this.description = description;
        this.names = new UniqueNames(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        this.backend = backend;
        this.hookId = ShutdownHooks.register(description, this::close);
    }

    /** The broker of this JVM, found or started on the first call. */
    public static synchronized RabbitBroker shared() {
        if (shared == null) {
            shared = locate();
            LOG.info("tests use {}", shared.description);
        }
        return shared;
    }

    /** A new private node from the installed rabbitmq-server, whatever else is reachable. */
    static RabbitBroker startPrivate() {
        RabbitScripts scripts = RabbitScripts.find().orElseThrow(() -> new MissingComponentException(
                "rabbitmq-server and rabbitmqctl are not installed"));
        PrivateRabbitNode node = PrivateRabbitNode.start(scripts);
        return new RabbitBroker(node.uri(), "private RabbitMQ node " + node.nodeName(), node);
    }

    private static RabbitBroker locate() {
        String configured = Optional.ofNullable(System.getenv("RABBITMQ_URI")).orElse(DEFAULT_URI);
        if (AmqpConnections.accepts(configured, PROBE_TIMEOUT)) {
            return new RabbitBroker(configured, "RabbitMQ at " + AmqpConnections.redact(configured), () -> { });
        }
        if (RabbitScripts.find().isPresent()) {
            LOG.info("no broker answers at {}; starting a private node", AmqpConnections.redact(configured));
            return startPrivate();
        }
        if (Docker.isAvailable()) {
            RabbitMQContainer container = new RabbitMQContainer(IMAGE);
            container.start();
            String uri = "amqp://" + container.getAdminUsername() + ":" + container.getAdminPassword() + "@"
                    + container.getHost() + ":" + container.getAmqpPort();
            return new RabbitBroker(uri, "RabbitMQ container " + container.getContainerName(), container::stop);
        }
        throw new MissingComponentException("no RabbitMQ answers at " + AmqpConnections.redact(configured)
                + " (set RABBITMQ_URI to use another), rabbitmq-server is not installed"
                + " and no Docker engine is reachable");
    }

    /** {@code amqp://user:password@host:port}. */
    public String uri() {
        return uri;
    }

    /** A new factory for this broker, free for the caller to configure further. */
    public ConnectionFactory connectionFactory() {
        return AmqpConnections.factory(uri);
    }

    /**
     * A queue or exchange name unique to this JVM's run, {@code gs-test-<runId>-<purpose>-<n>};
     * remembered for {@link #deleteNamesHandedOut()}. Purpose: 1 to 100 of {@code [A-Za-z0-9._-]}.
     */
    public String uniqueName(String purpose) {
        return names.next(purpose);
    }

    /**
     * A name made of one {@link #uniqueName(String)} handed out plus a suffix, such as the queue
     * an application derives from a configured prefix ({@code <prefix>eu-west}); deleted with the rest.
     */
    public String derivedName(String handedOutName, String suffix) {
        return names.derive(handedOutName, suffix);
    }

    /** Deletes every queue and exchange named by {@link #uniqueName(String)} so far; absent ones are fine. */
    public void deleteNamesHandedOut() {
        List<String> handedOut = names.handedOut();
        BrokerObjects.delete(connectionFactory(), description, handedOut);
        names.forget(handedOut);
    }

    /** Deletes the names handed out and stops the broker if the testkit started it. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ShutdownHooks.deregister(hookId);
        try {
            deleteNamesHandedOut();
        } catch (RuntimeException e) {
            LOG.warn("could not delete the test queues and exchanges on {}", description, e);
        }
        try {
            backend.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop " + description, e);
        }
    }

    @Override
    public String toString() {
        return "RabbitBroker[" + description + "]";
    }
}

package dev.gridstate.gateway.replication;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.gridstate.state.ChangeMessage;
import dev.gridstate.state.ChangeTopology;
import dev.gridstate.state.Keys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the outbox to RabbitMQ on its own thread and connection, with publisher confirms: a
 * batch is taken out of the way only when the broker confirmed all of it. A batch that fails
 * (no broker, a cut connection, a confirm timeout) is sent again on a new connection; duplicates
 * are harmless, as central applies a version once.
 */
@Context
public class ChangePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);
    private static final int BATCH = 128;
    private static final long MAX_BACKOFF_MS = 2_000;
    private static final long LOG_EVERY_MS = 10_000;
    /** How long a stopping gateway keeps sending what is already in its outbox. */
    private static final long DRAIN_MS = 5_000;

    private final ReplicationSettings settings;
    private final Outbox outbox;
    private final Keys keys;
    private final ChangeTopology topology;
    private final ConnectionFactory factory;
    private final Counter published;
    private final Counter failures;
    private final AtomicLong lastConfirmedAt = new AtomicLong();
    private volatile boolean connected;
    private volatile boolean running;
    private volatile int sending;
    private Thread thread;
    private volatile Connection connection;
    private Channel channel;
    private long lastFailureLog;

    ChangePublisher(ReplicationSettings settings, Outbox outbox, Keys keys, MeterRegistry metrics,
                    @Value("${rabbitmq.uri}") String uri) {
        this.settings = settings;
        this.outbox = outbox;
        this.keys = keys;
        this.topology = new ChangeTopology(settings.exchange(), settings.queuePrefix());
        this.factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("rabbitmq.uri is not an AMQP URI", e);
        }
        // Failures are handled here, batch by batch: a new connection, not the client's recovery.
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(2_000);
        factory.setHandshakeTimeout(2_000);
        factory.setChannelRpcTimeout((int) Math.max(1_000, settings.confirmTimeout().toMillis()));
        factory.setRequestedHeartbeat(5);
        this.published = Counter.builder("gateway.replication.published")
                .description("change-log messages confirmed by the broker").register(metrics);
        this.failures = Counter.builder("gateway.replication.publish.failures")
                .description("batches the broker did not confirm; sent again").register(metrics);
        Gauge.builder("gateway.replication.broker.connected", this, p -> p.connected() ? 1 : 0)
                .description("1 while the change-log publisher holds a broker connection").register(metrics);
    }

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("change-publisher").daemon().start(this::run);
    }

    /**
     * Sends what is in the outbox first, for up to {@value #DRAIN_MS} ms while the broker takes it,
     * so a gateway stopped in a rolling restart leaves no change behind for the next resync.
     */
    @PreDestroy
    void stop() {
        long deadline = System.currentTimeMillis() + DRAIN_MS;
        while (thread != null && thread.isAlive() && connected && (outbox.size() > 0 || sending > 0)
                && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (outbox.size() > 0 || sending > 0) {
            LOG.warn("change log: stopping with {} message(s) not confirmed by the broker; the next resync repairs central",
                    outbox.size() + sending);
        }
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect();
    }

    /**
     * Whether the change log's connection to the broker is up: opened, and not closed since (the
     * client notices a dropped connection on its own, before the next publish would).
     */
    public boolean connected() {
        Connection c = connection;
        return connected && c != null && c.isOpen();
    }

    /** The RabbitMQ version the broker announced on the change log's connection; null while not connected. */
    public String brokerVersion() {
        Connection c = connection;
        Object version = c == null || !connected() ? null : c.getServerProperties().get("version");
        return version == null ? null : version.toString();
    }

    public long lastConfirmedAt() {
        return lastConfirmedAt.get();
    }

    private void run() {
        List<Outbox.Outgoing> batch = new ArrayList<>();
        long backoff = 50;
        while (running) {
            try {
                if (batch.isEmpty()) {
                    Outbox.Outgoing first = outbox.poll(200);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    outbox.drainTo(batch, BATCH - 1);
                    sending = batch.size();
                }
                publish(batch);
                batch.forEach(o -> o.confirmed().complete(null));
                published.increment(batch.size());
                lastConfirmedAt.set(System.currentTimeMillis());
                batch.clear();
                sending = 0;
                backoff = 50;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                failures.increment();
                disconnect();
                logFailure(e, batch.size());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        batch.forEach(o -> o.confirmed().completeExceptionally(new IllegalStateException("the gateway is stopping")));
    }

    private void publish(List<Outbox.Outgoing> batch) throws Exception {
        Channel ch = channel();
        for (Outbox.Outgoing outgoing : batch) {
            ChangeMessage m = outgoing.message();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(2)
                    .timestamp(new Date())
                    .headers(Map.of(ChangeTopology.HEADER_REGION, m.region(), ChangeTopology.HEADER_VERSION, m.version(),
                            ChangeTopology.HEADER_SINCE, m.since()))
                    .build();
            ch.basicPublish(topology.exchange(), topology.routingKey(m.region()), props,
                    m.toJson().getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
    }

    private Channel channel() throws Exception {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        disconnect();
        connection = factory.newConnection("gateway-" + keys.region() + "-changes");
        channel = connection.createChannel();
        topology.declare(channel, keys.region());
        channel.confirmSelect();
        connected = true;
        LOG.info("change log: publishing to exchange {} for queue {}", topology.exchange(), topology.queue(keys.region()));
        return channel;
    }

    private void disconnect() {
        connected = false;
        Connection c = connection;
        connection = null;
        channel = null;
        if (c != null) {
            c.abort(1_000);
        }
    }

    private void logFailure(Exception e, int waiting) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLog >= LOG_EVERY_MS) {
            lastFailureLog = now;
            LOG.warn("change log: cannot publish to the broker ({}); {} message(s) held, {} in the outbox, trying again",
                    e.toString(), waiting, outbox.size());
        }
    }
}

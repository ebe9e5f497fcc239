package dev.gridstate.gateway;

import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** One gateway replica on a free port, serving a region whose Redis servers come from the testkit. */
public final class TestGateway implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";

    /**
     * The change log of this test run: its own exchange and queues on the shared broker, so runs
     * never mix, deleted when the run ends (see {@link RabbitBroker#deleteNamesHandedOut()}).
     */
    private static final String EXCHANGE = RabbitBroker.shared().uniqueName("changes");
    private static final String QUEUE_BASE = RabbitBroker.shared().uniqueName("changes-q");
    /** The jobs of this test run, likewise; {@link #jobQueues} registers a model's queue for deletion. */
    private static final String JOBS_EXCHANGE = RabbitBroker.shared().uniqueName("jobs");
    private static final String JOBS_QUEUE_BASE = RabbitBroker.shared().uniqueName("jobs-q");

    static {
        RabbitBroker.shared().derivedName(JOBS_EXCHANGE, ".dead");
    }

    private final EmbeddedServer server;

    private TestGateway(EmbeddedServer server) {
        this.server = server;
    }

    public static TestGateway start(String region, RedisServer regional, RedisServer central, Map<String, Object> extra) {
        return start(region, Map.of("redis.servers.regional.uri", regional.uri() + "?timeout=1s"), central, extra);
    }

    /** A replica whose regional Redis is set by {@code regional} ({@code redis.servers.regional.*}): one server or a cluster. */
    public static TestGateway start(String region, Map<String, Object> regional, RedisServer central,
                                    Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("gateway.region", region);
        props.putAll(regional);
        props.put("redis.servers.central.uri", central.uri() + "?timeout=1s");
        props.put("rabbitmq.uri", RabbitBroker.shared().uri());
        props.put("gateway.replication.exchange", EXCHANGE);
        props.put("gateway.replication.queue-prefix", QUEUE_BASE + ".");
        RabbitBroker.shared().derivedName(QUEUE_BASE, "." + region);
        props.put("gateway.jobs.exchange", JOBS_EXCHANGE);
        props.put("gateway.jobs.queue-prefix", JOBS_QUEUE_BASE + ".");
        RabbitBroker.shared().derivedName(JOBS_QUEUE_BASE, "." + region + ".dead");
        props.put("gateway.admin.token", ADMIN_TOKEN);
        props.put("gateway.node-token-secret", "test-node-token-secret");
        // The suite runs gateways, their Redis servers, a replicator and its clients on two cores,
        // from a cold JVM: a call of tens of ms is not a slow or dead Redis here, and a read sent
        // to central would see it behind. Tests of the breakers and failover set their own.
        props.put("gateway.store.regional-slow-call", "100ms");
        props.put("gateway.store.regional-timeout", "1s");
        // A closing gateway drains its running job attempts (GracefulShutdownIT); a test that
        // closes one mid-work should not wait the production grace period for them.
        props.put("micronaut.lifecycle.graceful-shutdown.grace-period", "5s");
        props.putAll(extra);
        return new TestGateway(ApplicationContext.run(EmbeddedServer.class, props));
    }

    /** The change-log exchange and queue prefix the gateways of this run publish to. */
    public static String exchange() {
        return EXCHANGE;
    }

    public static String queuePrefix() {
        return QUEUE_BASE + ".";
    }

    /** The job queues of these models in the region, registered for deletion at the end of the run; returns the first. */
    public static String jobQueues(String region, String... models) {
        for (String model : models) {
            RabbitBroker.shared().derivedName(JOBS_QUEUE_BASE, "." + region + "." + model);
        }
        return JOBS_QUEUE_BASE + "." + region + "." + models[0];
    }

    /** The dead-letter queue of the region's jobs. */
    public static String deadJobQueue(String region) {
        return JOBS_QUEUE_BASE + "." + region + ".dead";
    }

    public URI uri() {
        return server.getURI();
    }

    public Http http() {
        return new Http(uri());
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}

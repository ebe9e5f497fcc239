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

    private final EmbeddedServer server;

    private TestGateway(EmbeddedServer server) {
        this.server = server;
    }

    public static TestGateway start(String region, RedisServer regional, RedisServer central, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("gateway.region", region);
        props.put("redis.servers.regional.uri", regional.uri() + "?timeout=1s");
        props.put("redis.servers.central.uri", central.uri() + "?timeout=1s");
        props.put("rabbitmq.uri", RabbitBroker.shared().uri());
        props.put("gateway.admin.token", ADMIN_TOKEN);
        props.put("gateway.node-token-secret", "test-node-token-secret");
        props.putAll(extra);
        return new TestGateway(ApplicationContext.run(EmbeddedServer.class, props));
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

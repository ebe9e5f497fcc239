package dev.gridstate.chaos;

import dev.gridstate.testkit.Deployment;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How a drill puts faults on a deployment: Toxiproxy for the links (through its own client),
 * Redis commands for data loss, and the deployment's control API for processes.
 */
final class Faults {

    private final Deployment deployment;
    private final ToxiproxyClient toxiproxy;
    private final Http http = new Http(Duration.ofSeconds(120));

    Faults(Deployment deployment) {
        this.deployment = deployment;
        URI api = URI.create(deployment.toxiproxy());
        this.toxiproxy = new ToxiproxyClient(api.getHost(), api.getPort());
    }

    Deployment deployment() {
        return deployment;
    }

    /** Closes the proxy's live connections and refuses new ones. */
    void cut(String proxy) throws IOException {
        toxiproxy.getProxy(proxy).disable();
    }

    void restore(String proxy) throws IOException {
        toxiproxy.getProxy(proxy).enable();
    }

    /** Adds {@code ms} to every answer that comes back through the proxy. */
    void slow(String proxy, String toxic, long ms) throws IOException {
        toxiproxy.getProxy(proxy).toxics().latency(toxic, ToxicDirection.DOWNSTREAM, ms);
    }

    void removeToxic(String proxy, String toxic) throws IOException {
        Proxy p = toxiproxy.getProxy(proxy);
        p.toxics().get(toxic).remove();
    }

    /**
     * This deployment's proxies enabled and without toxics again: what a scenario leaves behind,
     * whatever happened. Only its own: a shared Toxiproxy's other proxies are not touched, as
     * {@code POST /reset} would.
     */
    void resetProxies() throws IOException {
        for (Deployment.Region region : deployment.regions()) {
            for (String name : List.of(region.redisProxy(), region.centralProxy(), region.rabbitProxy())) {
                Proxy proxy = toxiproxy.getProxy(name);
                for (Toxic toxic : proxy.toxics().getAll()) {
                    toxic.remove();
                }
                if (!proxy.isEnabled()) {
                    proxy.enable();
                }
            }
        }
    }

    /** FLUSHALL on a Redis, reached directly: its data is gone while every connection to it stays up. */
    void flush(String redisUri) {
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    boolean canControl() {
        return deployment.control() != null;
    }

    /** One action of the control API, e.g. {@code redis/central/kill}; returns once it is done. */
    void control(String action) throws IOException {
        if (!canControl()) {
            throw new IllegalStateException("this scenario kills and starts processes: the deployment file names no control API");
        }
        Http.Answer answer = http.post(URI.create(deployment.control() + "/" + action), null, deployment.adminToken());
        if (answer.status() != 204) {
            throw new IOException("control " + action + " answered " + answer.status() + ": " + answer.body());
        }
    }
}

package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One replicator in this JVM, on a free port, replicating the given regions of a test topology. */
final class TestReplicator implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final EmbeddedServer server;

    private TestReplicator(EmbeddedServer server) {
        this.server = server;
    }

    static TestReplicator start(ChangeTopology topology, RedisServer central, List<String> regions) {
        return start(topology, central, regions, Map.of());
    }

    static TestReplicator start(ChangeTopology topology, RedisServer central, List<String> regions,
                                Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(settings(topology, central.uri(), regions));
        props.put("micronaut.server.port", -1);
        props.putAll(extra);
        return new TestReplicator(ApplicationContext.run(EmbeddedServer.class, props));
    }

    /** The settings a test replicator runs with, by key. */
    static Map<String, String> settings(ChangeTopology topology, String centralUri, List<String> regions) {
        return Map.of(
                "replication.regions", String.join(",", regions),
                "replication.exchange", topology.exchange(),
                "replication.queue-prefix", topology.queuePrefix(),
                "redis.servers.central.uri", centralUri + "?timeout=1s",
                "rabbitmq.uri", RabbitBroker.shared().uri(),
                "replication.retry.log-interval", "1s");
    }

    Replicator replicator() {
        return server.getApplicationContext().getBean(Replicator.class);
    }

    RegionStatus status(String region) {
        return replicator().status().stream().filter(s -> s.region().equals(region)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not replicated here: " + region));
    }

    record Answer(int status, String body) {
    }

    Answer get(String path) {
        return get(server.getURI(), path);
    }

    static Answer get(URI base, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}

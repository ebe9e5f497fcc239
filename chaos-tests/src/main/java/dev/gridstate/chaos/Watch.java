package dev.gridstate.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What one gateway says of itself four times a second while a scenario runs: its regional
 * breaker, which Redis it serves from, and how many nodes it answers as online.
 */
final class Watch implements AutoCloseable {

    static final long EVERY_MS = 250;

    /** One look; breaker is {@code unknown} and nodes -1 when the gateway did not answer. */
    record Seen(long atMs, String breaker, String serving, int nodes) {
        boolean failedOver() {
            return !breaker.equals("closed") && !breaker.equals("unknown") || serving.equals("central");
        }

        boolean healthy() {
            return breaker.equals("closed") && serving.equals("regional");
        }
    }

    private final Http http;
    private final URI gateway;
    private final long t0;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("drill-watch").daemon().factory());

    Watch(Http http, URI gateway, long t0) {
        this.http = http;
        this.gateway = gateway;
        this.t0 = t0;
    }

    void start() {
        ticks.scheduleAtFixedRate(() -> seen.add(look()), 0, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** One look now. */
    Seen look() {
        long at = (System.nanoTime() - t0) / 1_000_000;
        String breaker = "unknown";
        String serving = "unknown";
        int nodes = -1;
        try {
            JsonNode redis = http.get(gateway.resolve("/health")).json().path("details").path("redis").path("details");
            serving = redis.path("serving").asText("unknown");
            breaker = redis.path("regional").path("details").path("breaker").asText("unknown");
            Http.Answer online = http.get(gateway.resolve("/v1/nodes?limit=1000"));
            if (online.status() == 200) {
                nodes = online.json().path("count").asInt(-1);
            }
        } catch (IOException noAnswer) {
            // unknown, as recorded
        }
        return new Seen(at, breaker, serving, nodes);
    }

    List<Seen> seen() {
        return new ArrayList<>(seen);
    }

    @Override
    public void close() {
        ticks.shutdownNow();
    }
}

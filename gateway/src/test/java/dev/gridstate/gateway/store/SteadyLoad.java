package dev.gridstate.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import io.micronaut.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Client traffic of a failover test: a few threads, each sending one request per {@code pace}
 * to the replicas in turn, a mix of match queries, node reads (fleet nodes and one that never
 * existed) and admin reads of a flagged node. Bounded in count and time; every request is kept
 * as a {@link Sample}, judged against what the region held before the fault.
 */
final class SteadyLoad implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SteadyLoad.class);

    /** An id no node of the fleet has: reading it must answer 404, whatever serves. */
    static final String UNKNOWN_NODE = "eu-west-node-9999";

    enum Kind { MATCH, NODE, UNKNOWN_NODE, ADMIN }

    /**
     * One request. {@code startNanos} is {@link System#nanoTime()} when it was sent; {@code status}
     * is -1 when no HTTP answer came; {@code body} is kept for non-2xx answers; {@code right} says
     * whether the answer was what the region held (a 2xx with fewer nodes than the fleet has is not),
     * {@code why} what was wrong; {@code origin} is the load's start, which it prints its time from.
     */
    record Sample(Kind kind, String target, int replica, long startNanos, long latencyNanos, int status, String source,
                  String retryAfter, String body, boolean right, String why, long origin) {

        long endNanos() {
            return startNanos + latencyNanos;
        }

        double latencyMs() {
            return latencyNanos / 1e6;
        }

        @Override
        public String toString() {
            return "+%d ms %s %s on replica %d: %d (%s) in %.1f ms%s%s".formatted((startNanos - origin) / 1_000_000, kind,
                    target, replica, status, source, latencyMs(), why == null ? "" : ", " + why, body == null ? "" : ", body " + body);
        }
    }

    /**
     * What the region holds, to judge answers by: the live, listed nodes of each model queried,
     * fleet node ids to read, and the node whose admin view must show {@code flag}.
     */
    record Expected(Map<String, Integer> nodesPerModel, List<String> nodeIds, String flaggedNode, String flag) {
    }

    private final List<Http> replicas;
    private final Expected expected;
    private final List<String> models;
    private final Duration pace;
    private final int maxRequests;
    private final long origin;
    private final long deadlineNanos;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private SteadyLoad(List<Http> replicas, Expected expected, Duration pace, int maxRequests, Duration maxDuration) {
        this.replicas = List.copyOf(replicas);
        this.expected = expected;
        this.models = List.copyOf(expected.nodesPerModel().keySet());
        this.pace = pace;
        this.maxRequests = maxRequests;
        this.origin = System.nanoTime();
        this.deadlineNanos = origin + maxDuration.toNanos();
    }

    /** Starts {@code threads} clients; they stop after {@code maxRequests} requests in all, {@code maxDuration}, or {@link #close()}. */
    static SteadyLoad start(List<Http> replicas, Expected expected, int threads, Duration pace, int maxRequests,
                            Duration maxDuration) {
        SteadyLoad load = new SteadyLoad(replicas, expected, pace, maxRequests, maxDuration);
        for (int t = 0; t < threads; t++) {
            Random random = new Random(1000 + t);
            int first = t;
            load.threads.add(Thread.ofPlatform().name("steady-load-" + t).daemon().start(() -> load.run(first, random)));
        }
        return load;
    }

    private void run(int firstReplica, Random random) {
        long next = System.nanoTime();
        int replica = firstReplica % replicas.size();
        while (!stopped && System.nanoTime() < deadlineNanos && sent.incrementAndGet() <= maxRequests) {
            samples.add(send(replica, random));
            replica = (replica + 1) % replicas.size();
            next += pace.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                // Behind (a slow answer): start again from now rather than sending a burst.
                next = System.nanoTime();
            }
        }
    }

    private Sample send(int replica, Random random) {
        int dice = random.nextInt(100);
        Kind kind = dice < 50 ? Kind.MATCH : dice < 80 ? Kind.NODE : dice < 90 ? Kind.UNKNOWN_NODE : Kind.ADMIN;
        String target = switch (kind) {
            case MATCH -> models.get(random.nextInt(models.size()));
            case NODE -> expected.nodeIds().get(random.nextInt(expected.nodeIds().size()));
            case UNKNOWN_NODE -> UNKNOWN_NODE;
            case ADMIN -> expected.flaggedNode();
        };
        Http http = kind == Kind.ADMIN ? replicas.get(replica).asAdmin() : replicas.get(replica);
        String path = switch (kind) {
            case MATCH -> "/v1/nodes?model=" + target + "&limit=1000";
            case NODE, UNKNOWN_NODE -> "/v1/nodes/" + target;
            case ADMIN -> "/v1/admin/nodes/" + target;
        };
        long start = System.nanoTime();
        Http.Answer answer;
        try {
            answer = http.get(path);
        } catch (UncheckedIOException | IllegalStateException e) {
            return new Sample(kind, target, replica, start, System.nanoTime() - start, -1, null, null, e.toString(), false,
                    "no answer", origin);
        }
        long took = System.nanoTime() - start;
        String source = answer.raw().headers().firstValue(Source.HEADER).orElse(null);
        String retryAfter = answer.raw().headers().firstValue(HttpHeaders.RETRY_AFTER).orElse(null);
        boolean ok = answer.status() / 100 == 2;
        String why = judge(kind, target, answer);
        return new Sample(kind, target, replica, start, took, answer.status(), source, retryAfter,
                ok ? null : answer.body(), why == null, why, origin);
    }

    /** Null when the answer is what the region holds, else what is wrong with it. */
    private String judge(Kind kind, String target, Http.Answer answer) {
        int wanted = kind == Kind.UNKNOWN_NODE ? 404 : 200;
        if (answer.status() != wanted) {
            return "expected " + wanted;
        }
        try {
            if (kind == Kind.MATCH) {
                int count = answer.json().path("count").asInt(-1);
                int should = expected.nodesPerModel().get(target);
                return count == should ? null : count + " of " + should + " nodes";
            }
            if (kind == Kind.ADMIN) {
                JsonNode flags = answer.json().path("flags");
                return flags.has(expected.flag()) ? null : "no " + expected.flag() + " flag";
            }
            return null;
        } catch (UncheckedIOException e) {
            return "unreadable body: " + answer.body();
        }
    }

    /** {@link System#nanoTime()} when the load started: samples print their times from it. */
    long origin() {
        return origin;
    }

    /** Everything sent so far, in no particular order. */
    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Requests sent at or after {@code nanos}, and answered by now. */
    long countSince(long nanos) {
        return samples.stream().filter(s -> s.startNanos() >= nanos).count();
    }

    /** Stops the clients and waits for their last requests. */
    @Override
    public void close() {
        stopped = true;
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.warn("{} still running 10 s after the load was stopped", thread.getName());
            }
        }
    }
}

package dev.gridstate.chaos;

import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The steady stream of client calls a scenario runs under, against one region's gateways: node
 * queries (the reads a matchmaker makes) and job submissions. A call that gets no answer from a
 * replica goes to the next one, as a load balancer would send it, and a job refused with a 503 is
 * submitted again (same idempotency key) up to {@value #JOB_ATTEMPTS} times, as its client would;
 * a call fails when it ends in a 5xx or no replica answers. Every call is recorded, by the second it ended and by when it
 * started, so figures can be taken after the run. Bounded: it stops at {@link #close()}, and
 * each call is bounded by the HTTP timeout.
 */
final class Load implements AutoCloseable {

    /** One client call: when it started (ms since the scenario start), whether it got its answer, and what it was. */
    record Call(long startMs, long endMs, boolean ok, boolean job, int status) {
    }

    /** One second of calls. */
    static final class Second {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Recorder latency = new Recorder(3);
    }

    private static final int JOB_ATTEMPTS = 3;
    private static final long JOB_RETRY_MS = 300;

    private final Http http;
    private final List<URI> gateways;
    private final List<String> models;
    private final String runId;
    private final long t0;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("drill-load").daemon().factory());
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Map<Long, Second> seconds = new ConcurrentHashMap<>();
    private final Queue<String> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong next = new AtomicLong();
    private volatile boolean running;

    Load(Http http, List<URI> gateways, List<String> models, String runId, long t0) {
        this.http = http;
        this.gateways = gateways;
        this.models = models;
        this.runId = runId;
        this.t0 = t0;
    }

    /** Starts {@code readsPerSecond} node queries and {@code jobsPerSecond} job submissions a second. */
    void start(int readsPerSecond, int jobsPerSecond) {
        running = true;
        ticks.scheduleAtFixedRate(() -> Thread.ofVirtual().start(this::read), 0, 1_000_000 / readsPerSecond, TimeUnit.MICROSECONDS);
        if (jobsPerSecond > 0) {
            ticks.scheduleAtFixedRate(() -> Thread.ofVirtual().start(this::submit), 0, 1_000_000 / jobsPerSecond,
                    TimeUnit.MICROSECONDS);
        }
    }

    private void read() {
        if (!running) {
            return;
        }
        String model = models.get((int) (sequence.incrementAndGet() % models.size()));
        call(false, gateway -> http.get(gateway.resolve("/v1/nodes?model=" + model + "&limit=5")));
    }

    private void submit() {
        if (!running) {
            return;
        }
        long n = sequence.incrementAndGet();
        String model = models.get((int) (n % models.size()));
        String key = runId + "-" + n;
        String body = "{\"model\":\"" + model + "\",\"payload\":{\"n\":" + n + "},\"idempotencyKey\":\"" + key + "\"}";
        Http.Answer answer = call(true, gateway -> {
            // As a client with an idempotency key does: a 503 is tried again, a few times, then given up.
            Http.Answer last = http.post(gateway.resolve("/v1/jobs"), body, null);
            for (int attempt = 1; attempt < JOB_ATTEMPTS && last.status() == 503 && running; attempt++) {
                pause(JOB_RETRY_MS);
                last = http.post(gateway.resolve("/v1/jobs"), body, null);
            }
            return last;
        });
        if (answer != null && answer.status() == 202) {
            accepted.add(answer.json().path("jobId").asText());
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Send {
        Http.Answer to(URI gateway) throws IOException;
    }

    private Http.Answer call(boolean job, Send send) {
        long start = System.nanoTime();
        int first = (int) (next.getAndIncrement() % gateways.size());
        Http.Answer answer = null;
        for (int i = 0; i < gateways.size() && answer == null; i++) {
            try {
                answer = send.to(gateways.get((first + i) % gateways.size()));
            } catch (IOException noAnswer) {
                // the next replica, as a load balancer would
            }
        }
        long end = System.nanoTime();
        boolean ok = answer != null && answer.status() < 500;
        record(new Call(ms(start), ms(end), ok, job, answer == null ? 0 : answer.status()), end - start);
        return answer;
    }

    private void record(Call call, long nanos) {
        calls.add(call);
        Second second = seconds.computeIfAbsent(call.endMs() / 1000, s -> new Second());
        second.requests.increment();
        if (!call.ok()) {
            second.errors.increment();
        }
        second.latency.recordValue(Math.max(1, nanos / 1000));
    }

    private long ms(long nanos) {
        return (nanos - t0) / 1_000_000;
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** The jobs the gateways accepted (202). */
    List<String> accepted() {
        return new ArrayList<>(accepted);
    }

    /** The calls of second {@code s}; null when none ended in it. */
    Second second(long s) {
        return seconds.get(s);
    }

    @Override
    public void close() {
        running = false;
        ticks.shutdownNow();
    }
}

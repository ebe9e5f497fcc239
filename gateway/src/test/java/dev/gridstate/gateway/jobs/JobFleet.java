package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gridstate.agent.Assignment;
import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.gateway.replication.ReplicatorProcess;
import dev.gridstate.testkit.RabbitBroker;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs on a whole region: two gateway replicas, the regional and central redis-server, the
 * replicator as its own process, and a simulated fleet of real node agents that poll for
 * assignments, run them through a handler (which counts every run and takes {@link #workMs}),
 * keep their leases renewed and report. Heartbeats every second.
 */
final class JobFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobFleet.class);
    static final List<String> MODELS = SimulatedFleet.models();

    private final String exchange = RabbitBroker.shared().uniqueName("jobfleet-x");
    private final String queueBase = RabbitBroker.shared().uniqueName("jobfleet-q");
    /** Runs of each job, by job id: a job the handler ran twice shows 2. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private volatile long workMs;
    /** While not null and closed, every run waits at it: jobs pile up in the queues and at the replicas. */
    private volatile CountDownLatch gate;
    private final AtomicLong lastRunEnded = new AtomicLong();
    private TestRegion region;
    private ReplicatorProcess replicator;
    private SimulatedFleet fleet;

    static JobFleet start(int nodes, long workMs, Map<String, Object> settings) {
        JobFleet topology = new JobFleet();
        topology.workMs = workMs;
        try {
            topology.startAll(nodes, settings);
        } catch (RuntimeException | AssertionError e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    private void startAll(int nodes, Map<String, Object> extra) {
        RabbitBroker.shared().derivedName(queueBase, "." + TestRegion.NAME);
        TestGateway.jobQueues(TestRegion.NAME, MODELS.toArray(String[]::new));
        Map<String, Object> settings = new HashMap<>(Map.of(
                "gateway.registry.heartbeat-interval", "1s",
                "gateway.registry.heartbeat-ttl", "3s",
                "gateway.registry.sweep-interval", "100ms",
                "gateway.replication.exchange", exchange,
                "gateway.replication.queue-prefix", queueBase + ".",
                "gateway.jobs.models", String.join(",", MODELS)));
        // Two replicas, the replicator, 40 agents and 8 to 32 submitting clients share two cores: at
        // the start of a burst, calls of hundreds of ms are the machine catching up, not a slow
        // Redis, and once they opened both breakers (one run in six). Breakers are FailoverIT's
        // subject; here only a dead Redis should open them.
        settings.put("gateway.store.regional-slow-call", "1s");
        settings.put("gateway.store.central-slow-call", "1s");
        settings.put("gateway.store.central-timeout", "1s");
        settings.putAll(extra);
        region = TestRegion.start(2, settings);
        replicator = ReplicatorProcess.start(region.central(), exchange, queueBase + ".", List.of(TestRegion.NAME));
        fleet = SimulatedFleet.builder().region(TestRegion.NAME, List.of(region.gateway(0).uri(), region.gateway(1).uri()))
                .nodesPerRegion(nodes).seed(11).churnFraction(0).jobs(this::work).build();
        fleet.start();
        await("the fleet registered").atMost(Duration.ofSeconds(20)).until(() -> fleet.registeredNodes() == nodes);
    }

    private JsonNode work(Assignment a) throws InterruptedException {
        runs.computeIfAbsent(a.jobId(), id -> new AtomicInteger()).incrementAndGet();
        CountDownLatch closed = gate;
        if (closed != null) {
            closed.await();
        }
        if (workMs > 0) {
            Thread.sleep(workMs);
        }
        lastRunEnded.accumulateAndGet(System.nanoTime(), Math::max);
        return JsonNodeFactory.instance.objectNode().put("node", a.nodeId()).put("attempt", a.attempt());
    }

    /** From now on every run waits until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /**
     * Submits {@code count} jobs spread over the models and both replicas, from {@code threads}
     * client threads, each with an idempotency key, retrying a 503 (a fault under way) with the
     * same key; returns their ids.
     */
    List<String> submit(String batch, int count, int threads) throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < count; i += threads) {
                        ids.add(submitOne(batch + "-" + i, MODELS.get(i % MODELS.size()), http(i % 2)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return ids;
    }

    private String submitOne(String key, String model, Http via) {
        String body = "{\"model\":\"" + model + "\",\"payload\":{\"n\":\"" + key + "\"},\"idempotencyKey\":\"" + key + "\"}";
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Http.Answer answer = via.post("/v1/jobs", body);
            if (answer.status() == 202) {
                return answer.json().get("jobId").asText();
            }
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(System.currentTimeMillis()).as("job " + key + " accepted within 30 s").isLessThan(deadline);
        }
    }

    /** The status of each job, read through replica {@code replica}. */
    Map<String, JsonNode> statuses(List<String> ids, int replica) {
        Map<String, JsonNode> out = new HashMap<>();
        for (String id : ids) {
            Http.Answer answer = http(replica).get("/v1/jobs/" + id);
            if (answer.status() == 200) {
                out.put(id, answer.json());
            }
        }
        return out;
    }

    /** How many of {@code ids} are in state {@code succeeded}, read through {@code replica}. */
    long succeeded(List<String> ids, int replica) {
        return statuses(ids, replica).values().stream().filter(s -> s.path("state").asText().equals("succeeded")).count();
    }

    /** Waits until every job of {@code ids} succeeded; on a timeout, logs the status of each job that did not. */
    void awaitAllSucceeded(List<String> ids, Duration within) {
        try {
            await("all jobs succeeded").atMost(within).pollInterval(Duration.ofMillis(250))
                    .until(() -> succeeded(ids, 0) == ids.size());
        } catch (ConditionTimeoutException e) {
            // Every job that did not succeed, also one with no status at all (404), with its
            // record on each Redis: what the next look at a failure needs.
            Map<String, JsonNode> seen = statuses(ids, 0);
            for (String id : ids) {
                JsonNode s = seen.get(id);
                if (s == null || !s.path("state").asText().equals("succeeded")) {
                    LOG.error("job {} did not succeed: status {}, regional record {}, central record {}, runs here {}",
                            id, s == null ? "404" : s, region.regional().commands().hgetall(TestRegion.KEYS + "job:" + id),
                            region.central().commands().hgetall(TestRegion.KEYS + "job:" + id), runs.get(id));
                }
            }
            throw e;
        }
    }

    Map<String, AtomicInteger> runs() {
        return runs;
    }

    /** {@link System#nanoTime()} when the handler last finished a run. */
    long lastRunEnded() {
        return lastRunEnded.get();
    }

    /** Jobs the fleet has started (each counted once, however often it ran). */
    int started() {
        return runs.size();
    }

    /** Messages ready in the model queues, and deliveries the replicas still hold. */
    long messagesLeft(int... replicas) throws Exception {
        long held = 0;
        for (int r : replicas) {
            held += region.gateway(r).context().getBean(JobDispatcher.class).held();
        }
        try (var connection = RabbitBroker.shared().connectionFactory().newConnection("jobfleet-check");
             var channel = connection.createChannel()) {
            long ready = 0;
            for (String model : MODELS) {
                ready += channel.queueDeclarePassive(TestGateway.jobQueues(TestRegion.NAME, model)).getMessageCount();
            }
            LOG.info("job queues: {} ready, {} held by the replicas", ready, held);
            return ready + held;
        }
    }

    TestRegion region() {
        return region;
    }

    Http http(int replica) {
        return region.gateway(replica).http();
    }

    SimulatedFleet fleet() {
        return fleet;
    }

    /** Stops the fleet first, so no agent talks to a gateway that is going away, then the replicator and the region. */
    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        if (replicator != null) {
            replicator.close();
        }
        if (region != null) {
            region.close();
        }
    }
}

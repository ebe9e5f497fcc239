package dev.gridstate.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.chaos.report.Figure;
import dev.gridstate.chaos.report.Sample;
import dev.gridstate.chaos.report.ScenarioResult;
import dev.gridstate.testkit.Deployment;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Runs one scenario against a deployment and judges it:
 * <ol>
 * <li>runs the load until the region is steady under it (its gateway healthy on its own
 *     Redis, the number of online nodes the same for {@value #STEADY_FOR_MS} ms: the nodes expected);</li>
 * <li>starts the load and the watch, and after {@value #BASELINE_MS} ms puts the fault on;</li>
 * <li>lifts it after the scenario's hold, and waits (at most {@value #RECOVERY_MS} ms) until the
 *     gateway is healthy with every node online; the load runs {@value #TAIL_MS} ms more;</li>
 * <li>waits (at most {@value #JOBS_MS} ms) for every accepted job to succeed, then compares
 *     central with the region (for at most {@value #COMPARE_MS} ms, until equal);</li>
 * <li>takes the figures.</li>
 * </ol>
 * Every proxy is put back as it was before and after, whatever happened.
 */
final class DrillRunner {

    static final Duration OPEN_WITHIN = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(DrillRunner.class);
    private static final long BASELINE_MS = 3_000;
    private static final long RECOVERY_MS = 30_000;
    private static final long TAIL_MS = 3_000;
    private static final long JOBS_MS = 90_000;
    private static final long COMPARE_MS = 30_000;
    private static final long STEADY_MS = 90_000;
    private static final long STEADY_FOR_MS = 3_000;

    private final Deployment deployment;
    private final Faults faults;
    private final Http http = new Http(Duration.ofSeconds(2));
    private final Duration heartbeatInterval;
    private final int readsPerSecond;
    private final int jobsPerSecond;

    DrillRunner(Deployment deployment, Duration heartbeatInterval, int readsPerSecond, int jobsPerSecond) {
        this.deployment = deployment;
        this.faults = new Faults(deployment);
        this.heartbeatInterval = heartbeatInterval;
        this.readsPerSecond = readsPerSecond;
        this.jobsPerSecond = jobsPerSecond;
    }

    /** Why {@code scenario} cannot run against this deployment's {@code region}, or null when it can. */
    String refusal(Scenario scenario, Deployment.Region region) {
        if (scenario.control() && !faults.canControl()) {
            return "it kills processes, and the deployment file names no control API";
        }
        if (region.gateways().size() < scenario.replicas()) {
            return "it needs " + scenario.replicas() + " gateway replicas in region " + region.name() + ", which has "
                    + region.gateways().size();
        }
        return null;
    }

    ScenarioResult run(Scenario scenario, Deployment.Region region) {
        String refused = refusal(scenario, region);
        if (refused != null) {
            return new ScenarioResult(scenario.id(), scenario.title(), scenario.fault(), 0, 0, 0, List.of(), List.of(),
                    "not run: " + refused);
        }
        List<URI> gateways = region.gateways().stream().map(URI::create).toList();
        String runId = "drill-" + scenario.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
        int expected;
        // Steady under the load: a gateway whose JIT has not seen the load yet can be slow enough at first to open its breaker.
        try (Load warmUp = new Load(http, gateways, deployment.models(), runId + "-warm-up", System.nanoTime())) {
            faults.resetProxies();
            warmUp.start(readsPerSecond, jobsPerSecond);
            expected = awaitSteady(new Watch(http, gateways.get(0), System.nanoTime()));
        } catch (Exception e) {
            return new ScenarioResult(scenario.id(), scenario.title(), scenario.fault(), 0, 0, 0, List.of(), List.of(),
                    "not run: " + e.getMessage());
        }
        LOG.info("drill {}: region {} steady with {} nodes online; load starts", scenario.id(), region.name(), expected);
        long t0 = System.nanoTime();
        Watch watch = new Watch(http, gateways.get(0), t0);
        Load load = new Load(http, gateways, deployment.models(), runId, t0);
        long faultStart = 0;
        long faultEnd = 0;
        boolean on = false;
        try {
            watch.start();
            load.start(readsPerSecond, jobsPerSecond);
            pause(BASELINE_MS);
            faultStart = sinceStart(t0);
            on = true;
            scenario.inject().on(faults, region);
            LOG.info("drill {}: fault on ({})", scenario.id(), scenario.fault());
            pause(scenario.hold().toMillis());
            on = false;
            scenario.lift().on(faults, region);
            faultEnd = sinceStart(t0);
            LOG.info("drill {}: fault lifted", scenario.id());
            until(RECOVERY_MS, () -> {
                Watch.Seen now = watch.look();
                return now.healthy() && now.nodes() >= expected;
            });
            pause(TAIL_MS);
            load.close();
            watch.close();
            long endMs = sinceStart(t0);
            List<Figure> figures = judge(scenario, region, load, watch, expected, faultStart, faultEnd);
            return new ScenarioResult(scenario.id(), scenario.title(), scenario.fault(), faultStart, faultEnd, endMs,
                    samples(load, watch, expected, endMs), figures, null);
        } catch (Exception e) {
            LOG.warn("drill {}: could not run to its end", scenario.id(), e);
            load.close();
            watch.close();
            if (on) {
                liftAfterFailure(scenario, region);
            }
            long endMs = sinceStart(t0);
            return new ScenarioResult(scenario.id(), scenario.title(), scenario.fault(), faultStart, faultEnd, endMs,
                    samples(load, watch, expected, endMs), List.of(), e.toString());
        } finally {
            try {
                faults.resetProxies();
            } catch (IOException e) {
                LOG.warn("drill {}: could not reset the proxies: {}", scenario.id(), e.toString());
            }
        }
    }

    /** A scenario that failed with its fault on still takes it off, so the next one finds the deployment whole. */
    private void liftAfterFailure(Scenario scenario, Deployment.Region region) {
        try {
            scenario.lift().on(faults, region);
        } catch (Exception e) {
            LOG.warn("drill {}: could not lift the fault after the failure: {}", scenario.id(), e.toString());
        }
    }

    /** Waits until the gateway is healthy and its count of online nodes holds for two seconds; returns that count. */
    private int awaitSteady(Watch watch) throws InterruptedException {
        long deadline = System.nanoTime() + STEADY_MS * 1_000_000;
        int last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Watch.Seen now = watch.look();
            if (!now.healthy() || now.nodes() <= 0 || now.nodes() != last) {
                last = now.healthy() ? now.nodes() : -1;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= STEADY_FOR_MS * 1_000_000) {
                return last;
            }
            Thread.sleep(Watch.EVERY_MS);
        }
        throw new IllegalStateException("the region was not steady within " + STEADY_MS / 1000 + " s (its gateway "
                + "healthy on its own Redis, the online nodes holding still for " + STEADY_FOR_MS / 1000 + " s): "
                + watch.look());
    }

    private List<Figure> judge(Scenario scenario, Deployment.Region region, Load load, Watch watch, int expected,
                               long faultStart, long faultEnd) throws InterruptedException {
        List<Figure> figures = new ArrayList<>();
        List<Load.Call> calls = load.calls();
        List<Watch.Seen> seen = watch.seen();
        Long failoverAt = seen.stream().filter(s -> s.atMs() >= faultStart && s.failedOver()).map(Watch.Seen::atMs)
                .findFirst().orElse(null);
        for (Scenario.Check check : scenario.checks()) {
            switch (check) {
                case FAILED_AFTER_FAILOVER -> {
                    if (failoverAt == null) {
                        figures.add(new Figure("client calls failed after the gateway failed over", "it never failed over",
                                "= 0", false));
                    } else {
                        long failed = calls.stream().filter(c -> c.startMs() >= failoverAt && !c.ok()).count();
                        long all = calls.stream().filter(c -> c.startMs() >= failoverAt).count();
                        figures.add(new Figure("client calls failed after the gateway failed over",
                                failed + " of " + all, "= 0", failed == 0));
                    }
                }
                case READS_FAILED -> {
                    long failed = calls.stream().filter(c -> !c.job() && !c.ok()).count();
                    long all = calls.stream().filter(c -> !c.job()).count();
                    figures.add(new Figure("node queries failed", failed + " of " + all, "= 0", failed == 0));
                }
                case TIME_TO_OPEN -> figures.add(failoverAt == null
                        ? new Figure("time from the fault to the breaker open", "never", "≤ " + seconds(OPEN_WITHIN.toMillis()), false)
                        : new Figure("time from the fault to the breaker open", seconds(failoverAt - faultStart),
                        "≤ " + seconds(OPEN_WITHIN.toMillis()), failoverAt - faultStart <= OPEN_WITHIN.toMillis()));
                case NODES_BACK -> {
                    long limit = heartbeatInterval.toMillis() + 1_000;
                    Long back = seen.stream().filter(s -> s.atMs() >= faultEnd && s.nodes() >= expected)
                            .map(Watch.Seen::atMs).findFirst().orElse(null);
                    figures.add(back == null
                            ? new Figure("time until every live node is back after the fault", "not within the run",
                            "≤ " + seconds(limit), false)
                            : new Figure("time until every live node is back after the fault", seconds(back - faultEnd),
                            "≤ " + seconds(limit), back - faultEnd <= limit));
                }
                default -> { } // JOBS_LOST, JOBS_TWICE, CENTRAL_EQUAL: below
            }
        }
        // Once the jobs have ended: a job still running would show as a difference from central.
        List<String> accepted = load.accepted();
        Map<String, JsonNode> statuses = awaitJobs(region, accepted);
        if (scenario.checks().contains(Scenario.Check.JOBS_LOST)) {
            long lost = accepted.stream().filter(id -> !statuses.containsKey(id)
                    || !statuses.get(id).path("state").asText().equals("succeeded")).count();
            long refused = calls.stream().filter(c -> c.job() && c.status() != 202).count();
            // No job accepted is no evidence that none was lost.
            figures.add(new Figure("jobs accepted but not succeeded", lost + " of " + accepted.size()
                    + (refused > 0 ? " (" + refused + " submissions refused, never accepted)" : ""), "= 0",
                    lost == 0 && !accepted.isEmpty()));
        }
        if (scenario.checks().contains(Scenario.Check.JOBS_TWICE)) {
            long twice = statuses.values().stream().filter(s -> s.path("duplicates").asLong() > 0).count();
            figures.add(new Figure("jobs that got a second result", String.valueOf(twice), "= 0", twice == 0));
        }
        if (scenario.checks().contains(Scenario.Check.CENTRAL_EQUAL)) {
            CentralCompare.Result compared = awaitEqual(region);
            figures.add(new Figure("entities that differ between the region and central",
                    compared.differences().size() + " of " + compared.compared() + (compared.differences().isEmpty()
                            ? "" : ", e.g. " + compared.differences().entrySet().iterator().next()),
                    "= 0", compared.differences().isEmpty()));
        }
        return figures;
    }

    private Map<String, JsonNode> awaitJobs(Deployment.Region region, List<String> accepted) throws InterruptedException {
        Map<String, JsonNode> statuses = new ConcurrentHashMap<>();
        Set<String> open = new HashSet<>(accepted);
        long deadline = System.nanoTime() + JOBS_MS * 1_000_000;
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (String id : List.copyOf(open)) {
                JsonNode status = jobStatus(region, id);
                if (status != null) {
                    statuses.put(id, status);
                    String state = status.path("state").asText();
                    if (state.equals("succeeded") || state.equals("dead")) {
                        open.remove(id);
                    }
                }
            }
            if (!open.isEmpty()) {
                Thread.sleep(500);
            }
        }
        if (!open.isEmpty()) {
            LOG.warn("jobs not succeeded within {} s: {}", JOBS_MS / 1000,
                    open.stream().limit(10).map(id -> id + "=" + (statuses.containsKey(id) ? statuses.get(id) : "404")).toList());
        }
        return statuses;
    }

    private JsonNode jobStatus(Deployment.Region region, String id) {
        for (String gateway : region.gateways()) {
            try {
                Http.Answer answer = http.get(URI.create(gateway + "/v1/jobs/" + id));
                if (answer.status() == 200) {
                    return answer.json();
                }
                if (answer.status() == 404) {
                    return null;
                }
            } catch (IOException noAnswer) {
                // the next replica
            }
        }
        return null;
    }

    private CentralCompare.Result awaitEqual(Deployment.Region region) throws InterruptedException {
        CentralCompare.Result result = CentralCompare.untilEqual(region.name(), region.regionalRedis(),
                deployment.centralRedis(), Duration.ofMillis(COMPARE_MS));
        if (!result.differences().isEmpty()) {
            LOG.warn("central differs from region {} in {} entities, e.g. {}", region.name(), result.differences().size(),
                    result.differences().entrySet().stream().limit(10).toList());
        }
        return result;
    }

    private static List<Sample> samples(Load load, Watch watch, int expected, long endMs) {
        List<Watch.Seen> seen = watch.seen();
        List<Sample> samples = new ArrayList<>();
        for (long s = 0; s * 1000 < endMs; s++) {
            long from = s * 1000;
            Load.Second second = load.second(s);
            long requests = second == null ? 0 : second.requests.sum();
            long errors = second == null ? 0 : second.errors.sum();
            double p99 = 0;
            if (second != null) {
                Histogram h = second.latency.getIntervalHistogram();
                p99 = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
            }
            String breaker = "unknown";
            int nodes = 0;
            for (Watch.Seen look : seen) {
                if (look.atMs() >= from && look.atMs() < from + 1000) {
                    breaker = worse(breaker, look.breaker());
                    nodes = look.nodes() >= 0 ? look.nodes() : nodes;
                }
            }
            samples.add(new Sample(from, requests, errors, p99, breaker, nodes, expected));
        }
        return samples;
    }

    /** The state a second is shown in: the worst one seen in it. */
    private static String worse(String a, String b) {
        List<String> order = List.of("unknown", "closed", "half_open", "open");
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }

    private static void until(long maxMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(Watch.EVERY_MS);
        }
    }

    private static void pause(long ms) throws InterruptedException {
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static long sinceStart(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String seconds(long ms) {
        return String.format("%.1f s", ms / 1000.0);
    }
}

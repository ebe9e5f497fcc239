package dev.gridstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.bench.Report.Table;
import dev.gridstate.bench.Report.Target;
import dev.gridstate.bench.failover.FailoverFigures;
import dev.gridstate.bench.failover.Timeline;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A regional Redis SIGKILLed under a steady read load, measured the same way for the gateway
 * (its breakers send reads to central) and for a Redis primary/replica pair under three
 * Sentinels (a Lettuce client that follows Sentinel): time to the first successful read after
 * the kill and to a steady p99 again, and what failed meanwhile.
 */
final class Failover {

    static final double READ_RATE = 500;
    static final Duration BEFORE_KILL = Duration.ofSeconds(8);
    static final Duration AFTER_KILL = Duration.ofSeconds(15);

    private Failover() {
    }

    /** One system's failover, as measured. */
    record Measured(String system, String setting, FailoverFigures figures, Long breakerOpenMs,
                    Long failedAfterBreakerOpen, Long startedAfterBreakerOpen) {
    }

    static void run(Run run) {
        List<Measured> measured = new ArrayList<>();
        measured.add(gateway(run));
        // The tightest practical setting first: the target compares with it.
        measured.add(SentinelRun.measure(run, Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ofMillis(100))));
        measured.add(SentinelRun.measure(run, Optional.of(Duration.ofSeconds(1)), Optional.empty()));
        if (run.sentinelDefault()) {
            measured.add(SentinelRun.measure(run, Optional.empty(), Optional.empty()));
        }
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, Object>> figures = new ArrayList<>();
        for (Measured m : measured) {
            FailoverFigures f = m.figures();
            rows.add(List.of(m.system(), m.setting(), duration(f.firstSuccess()), duration(f.timeToSteady()),
                    f.failedAfterKill() + " of " + f.totalAfterKill(),
                    m.breakerOpenMs() == null ? "–" : m.breakerOpenMs() + " ms",
                    m.failedAfterBreakerOpen() == null ? "–" : m.failedAfterBreakerOpen() + " of " + m.startedAfterBreakerOpen(),
                    Report.ms(f.baselineP99().toNanos() / 1e6), duration(f.worstWindowP99())));
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("system", m.system());
            map.put("setting", m.setting());
            map.put("baselineP99Ms", f.baselineP99().toNanos() / 1e6);
            map.put("firstSuccessMs", f.firstSuccess().map(d -> d.toNanos() / 1e6).orElse(null));
            map.put("timeToSteadyMs", f.timeToSteady().map(d -> d.toNanos() / 1e6).orElse(null));
            map.put("failedAfterKill", f.failedAfterKill());
            map.put("totalAfterKill", f.totalAfterKill());
            map.put("worstWindowP99Ms", f.worstWindowP99().map(d -> d.toNanos() / 1e6).orElse(null));
            map.put("breakerOpenMs", m.breakerOpenMs());
            map.put("failedAfterBreakerOpen", m.failedAfterBreakerOpen());
            map.put("startedAfterBreakerOpen", m.startedAfterBreakerOpen());
            figures.add(map);
        }
        run.report().table(new Table("Failover: the regional Redis SIGKILLed under " + (int) READ_RATE + " reads/s",
                List.of("system", "setting", "kill → first successful read", "kill → steady p99", "failed after the kill",
                        "kill → breaker open", "failed after the breaker opened", "p99 before", "worst 500 ms p99 after"),
                rows, List.of(
                        "reads in open loop, latency from the intended start; the gateway's are GET /v1/nodes?model=… "
                                + "over HTTP, Sentinel's are GETs by a Lettuce client following the master through Sentinel",
                        "steady p99: from the kill to the first 500 ms window from which every window has no failure and "
                                + "p99 ≤ max(2 × the p99 of the 5 s before the kill, that + 5 ms)",
                        "the gateway's regional Redis stays dead: it serves from central until the end",
                        "failed after the breaker opened: of the requests that started once /health showed it open")),
                run.out());
        run.report().figures("failover", figures);
        Measured gateway = measured.get(0);
        Measured tightest = measured.get(1);
        Optional<Duration> g = gateway.figures().firstSuccess();
        Optional<Duration> s = tightest.figures().firstSuccess();
        Optional<Duration> gs = gateway.figures().timeToSteady();
        Optional<Duration> ss = tightest.figures().timeToSteady();
        String goal = "≥ 10× faster to the first successful read, 0 failed after the breaker opens";
        String name = "failover vs Sentinel (down-after 1000 ms, reconnect capped at 100 ms)";
        if (g.isPresent() && s.isPresent()) {
            double firstRatio = s.get().toNanos() / (double) Math.max(1, g.get().toNanos());
            String steady = gs.isPresent() && ss.isPresent()
                    ? String.format("%.1f×", ss.get().toNanos() / (double) Math.max(1, gs.get().toNanos()))
                    : "not both steady within their windows";
            boolean zero = gateway.failedAfterBreakerOpen() != null && gateway.failedAfterBreakerOpen() == 0;
            boolean met = firstRatio >= 10 && zero;
            run.report().target(new Target(name, goal, String.format(
                    "first read %.0f× sooner (%s vs %s); steady p99 %s (%s vs %s); %s failed after the breaker opened, "
                            + "%d of %d after the kill", firstRatio, duration(g), duration(s), steady, duration(gs),
                    duration(ss), gateway.failedAfterBreakerOpen(), gateway.figures().failedAfterKill(),
                    gateway.figures().totalAfterKill()), met, met ? "" : "see the failover table"));
        } else {
            run.report().target(new Target(name, goal, "a run had no successful read after the kill within its window",
                    false, "see the failover table"));
        }
    }

    static String duration(Optional<Duration> d) {
        return d.map(v -> Report.ms(v.toNanos() / 1e6)).orElse("not within the window");
    }

    private static Measured gateway(Run run) {
        try (Topology topology = Topology.start(run.topology(), "failover")) {
            URI gateway = topology.gateway(0);
            int nodes = 1000;
            run.register(topology, nodes);
            // Central must hold what the region holds before the region goes.
            Replication.awaitDrained(run, topology, Duration.ofSeconds(60));
            Timeline timeline = new Timeline();
            Duration warmup = Duration.ofSeconds(2);
            CompletableFuture<Load> load = CompletableFuture.supplyAsync(() -> run.open(gateway, "failover reads",
                    READ_RATE, warmup, BEFORE_KILL.plus(AFTER_KILL), Workloads.match(),
                    (intended, end, status, inWarmup) -> {
                        if (!inWarmup) {
                            timeline.record(intended, end, status == 200);
                        }
                    }));
            Run.pause(warmup.plus(BEFORE_KILL).toMillis());
            AtomicLong breakerOpen = new AtomicLong();
            long kill = System.nanoTime();
            topology.regional().kill();
            long killed = System.nanoTime();
            run.say("failover: regional Redis SIGKILLed (kill took %.1f ms)", (killed - kill) / 1e6);
            long deadline = kill + AFTER_KILL.toNanos();
            while (System.nanoTime() < deadline && breakerOpen.get() == 0) {
                JsonNode health = Json.get(gateway, "/health", null);
                String breaker = health == null ? "unknown" : health.path("details").path("redis").path("details")
                        .path("regional").path("details").path("breaker").asText("unknown");
                if (!breaker.equals("closed") && !breaker.equals("unknown")) {
                    breakerOpen.set(System.nanoTime());
                }
                Run.pause(10);
            }
            Load result = load.join();
            FailoverFigures figures = FailoverFigures.of(timeline, kill, FailoverFigures.Settings.bench());
            Long openMs = breakerOpen.get() == 0 ? null : (breakerOpen.get() - kill) / 1_000_000;
            Long failedAfterOpen = null;
            Long startedAfterOpen = null;
            if (breakerOpen.get() != 0) {
                long open = breakerOpen.get();
                failedAfterOpen = timeline.outcomes().stream().filter(o -> o.startNanos() >= open && !o.ok()).count();
                startedAfterOpen = timeline.outcomes().stream().filter(o -> o.startNanos() >= open).count();
            }
            run.say("failover, gateway: %s; breaker open after %s ms; %s failed of %s started after; load %s errors",
                    figures, openMs, failedAfterOpen, startedAfterOpen, result.errors());
            return new Measured("gateway", "defaults (regional slow call 25 ms, timeout 50 ms)", figures, openMs,
                    failedAfterOpen, startedAfterOpen);
        }
    }
}

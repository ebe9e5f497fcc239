package dev.gridstate.bench;

import dev.gridstate.bench.Report.Table;
import dev.gridstate.bench.Report.Target;
import dev.gridstate.bench.load.RequestSource;
import dev.gridstate.state.Keys;
import io.lettuce.core.ScoredValue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heartbeats and matchmaking through one gateway, and redis-benchmark doing the nearest raw
 * commands on the same Redis, in the same minute; then heartbeat, match and claim latency at
 * fixed rates. One topology for both, so the two tables describe the same processes.
 */
final class GatewayVsRedis {

    private static final String RAW_INDEX = "bench:raw:index";

    private GatewayVsRedis() {
    }

    static void run(Run run) {
        try (Topology topology = Topology.start(run.topology(), "throughput")) {
            run.register(topology, run.nodes());
            String[] tokens = tokens(topology, run.nodes());
            SlowLog slow = new SlowLog(topology.regional(), run.topology().gatewayJar());
            throughput(run, topology, tokens);
            slow.drain();
            latency(run, topology, tokens, slow);
        }
    }

    private static String[] tokens(Topology topology, int nodes) {
        String[] tokens = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            tokens[i] = topology.nodeToken(Workloads.nodeId(i));
        }
        return tokens;
    }

    private static void throughput(Run run, Topology topology, String[] tokens) {
        // The raw side of match: a sorted set as big as the fleet, read ten at a time.
        List<ScoredValue<String>> members = new ArrayList<>();
        for (int i = 0; i < run.nodes(); i++) {
            members.add(ScoredValue.just(i * 7 % 81920, Workloads.nodeId(i)));
        }
        topology.regional().commands().zadd(RAW_INDEX, members.toArray(ScoredValue[]::new));

        // The raw side of a heartbeat: the gateway's own heartbeat script, called by redis-benchmark
        // with no HTTP, JSON, auth or gateway in between (one node, its free memory random).
        String heartbeatSha = topology.regional().commands().scriptLoad(GatewayScripts.source(run.topology().gatewayJar(), "heartbeat"));
        Keys keys = new Keys(Topology.REGION);
        String node = Workloads.nodeId(5);

        List<Row> rows = new ArrayList<>();
        rows.add(gatewayRow(run, topology, "gateway: heartbeat (POST /v1/nodes/{id}/heartbeat)", Workloads.heartbeat(tokens)));
        rows.add(batchRow(run, topology, tokens));
        rows.add(redisRow(run, topology, "redis-benchmark: SET", List.of("-t", "set")));
        rows.add(redisRow(run, topology, "redis-benchmark: EVALSHA of the gateway's heartbeat script",
                List.of("EVALSHA", heartbeatSha, "2", keys.online(), keys.node(node), "600000", node, "idle", "__rand_int__")));
        rows.add(gatewayRow(run, topology, "gateway: match (GET /v1/nodes?model=…&limit=10)", Workloads.match()));
        rows.add(redisRow(run, topology, "redis-benchmark: ZRANGEBYSCORE … LIMIT 0 10",
                List.of("ZRANGEBYSCORE", RAW_INDEX, "40000", "+inf", "LIMIT", "0", "10")));
        topology.regional().commands().del(RAW_INDEX);

        Row heartbeat = rows.get(0);
        Row batches = rows.get(1);
        Row set = rows.get(2);
        Row script = rows.get(3);
        Row match = rows.get(4);
        Row zrange = rows.get(5);
        List<List<String>> table = new ArrayList<>();
        for (Row row : rows) {
            table.add(row.cells());
        }
        double heartbeatRatio = heartbeat.rate / set.rate;
        double batchRatio = batches.rate / set.rate;
        double scriptRatio = heartbeat.rate / script.rate;
        double matchRatio = match.rate / zrange.rate;
        run.report().table(new Table("Gateway vs raw Redis, same Redis, same minute (" + run.connections()
                        + " connections, closed loop, " + run.duration().toSeconds() + " s each)",
                List.of("what", "requests/s", "p50", "p99", "p99.9", "server CPU per request", "errors"), table,
                List.of(String.format("heartbeat / SET = %.2f; batched heartbeats / SET = %.2f; heartbeat / the same "
                                + "script called directly = %.2f; match / ZRANGEBYSCORE = %.2f", heartbeatRatio, batchRatio,
                                scriptRatio, matchRatio),
                        "batches: " + BATCH + " heartbeats per POST /v1/heartbeats on " + BATCH_CONNECTIONS
                                + " connections (the gateway admits 4 batches in flight); requests/s and CPU are per heartbeat, "
                                + "latency per batch",
                        "server CPU: the gateway JVM's plus its Redis's, per request; for redis-benchmark, Redis's "
                                + "only (redis-benchmark's own CPU, like the load generator's, is the client's)",
                        "redis-benchmark's percentiles are the upper bounds of its buckets")), run.out());
        Map<String, Object> figures = new LinkedHashMap<>();
        rows.forEach(row -> figures.put(row.what, row.raw));
        figures.put("heartbeatToSetRatio", heartbeatRatio);
        figures.put("batchedHeartbeatToSetRatio", batchRatio);
        figures.put("heartbeatToScriptRatio", scriptRatio);
        figures.put("matchToZrangeRatio", matchRatio);
        run.report().figures("gatewayVsRedis", figures);
        run.report().target(new Target("heartbeat throughput, single", "≥ 50 % of redis-benchmark SET, same run",
                String.format("%s/s vs %s/s: %.0f %%", Report.num(heartbeat.rate), Report.num(set.rate), heartbeatRatio * 100),
                heartbeatRatio >= 0.5, heartbeatRatio >= 0.5 ? "" : String.format("the heartbeat script alone, called "
                        + "directly, runs at %s/s (%.0f %% of SET): a heartbeat is one atomic script of about 15 Redis "
                        + "commands (indexes, readiness, flags, inbox, events)", Report.num(script.rate), script.rate / set.rate * 100)));
        run.report().target(new Target("heartbeat throughput, batched", "≥ 50 % of redis-benchmark SET, same run",
                String.format("%s/s vs %s/s: %.0f %%", Report.num(batches.rate), Report.num(set.rate), batchRatio * 100),
                batchRatio >= 0.5, batchRatio >= 0.5 ? "" : "the same script per heartbeat, " + BATCH + " per call"));
    }

    private record Row(String what, double rate, double p50, double p99, double p999, double cpuPerRequestUs,
                       long errors, Map<String, Object> raw) {

        List<String> cells() {
            return List.of(what, Report.num(rate), Report.ms(p50), Report.ms(p99), Report.ms(p999),
                    Double.isNaN(cpuPerRequestUs) ? "–" : Report.num(cpuPerRequestUs) + " µs", String.valueOf(errors));
        }
    }

    private static Row gatewayRow(Run run, Topology topology, String what, RequestSource source) {
        long pid = topology.gatewayProcess(0).pid();
        // The warm-up on its own, so the CPU read below covers the measured requests only.
        LoadDriver.closed(topology.gateway(0), what + ", warm-up", run.connections(), Duration.ZERO, run.warmup(), source);
        double gatewayCpu = Cpu.processMs(pid);
        double redisCpu = Cpu.redisMs(topology.regional());
        double clientCpu = Cpu.selfMs();
        int breaker = topology.regionalBreakerChanges(0);
        Load r = LoadDriver.closed(topology.gateway(0), what, run.connections(), Duration.ZERO, run.duration(), source);
        int changes = topology.regionalBreakerChanges(0) - breaker;
        double cpuMs = Cpu.processMs(pid) - gatewayCpu + Cpu.redisMs(topology.regional()) - redisCpu;
        double perRequestUs = cpuMs * 1000 / Math.max(1, r.completed());
        run.say("%s: %,.0f/s, p99 %.2f ms, %.0f µs server CPU per request%s", what, r.rate(), r.p99(), perRequestUs,
                changes == 0 ? "" : "; the regional breaker changed state " + changes + " times");
        Map<String, Object> raw = r.toMap();
        raw.put("regionalBreakerChanges", changes);
        raw.put("serverCpuPerRequestUs", perRequestUs);
        raw.put("clientCpuMs", Cpu.selfMs() - clientCpu);
        return new Row(what + (changes == 0 ? "" : " (breaker changed state " + changes + "×)"), r.rate(), r.p50(),
                r.p99(), r.p999(), perRequestUs, r.errors(), raw);
    }

    private static final int BATCH = 1000;
    private static final int BATCH_CONNECTIONS = 4;

    /** Heartbeats in batches: figures per heartbeat, latency per batch. */
    private static Row batchRow(Run run, Topology topology, String[] tokens) {
        long pid = topology.gatewayProcess(0).pid();
        RequestSource source = Workloads.batches(tokens, BATCH);
        LoadDriver.closed(topology.gateway(0), "batches, warm-up", BATCH_CONNECTIONS, Duration.ZERO, run.warmup(), source);
        double cpu = Cpu.processMs(pid) + Cpu.redisMs(topology.regional());
        int breaker = topology.regionalBreakerChanges(0);
        Load r = LoadDriver.closed(topology.gateway(0), "batches", BATCH_CONNECTIONS, Duration.ZERO, run.duration(), source);
        int changes = topology.regionalBreakerChanges(0) - breaker;
        double cpuMs = Cpu.processMs(pid) + Cpu.redisMs(topology.regional()) - cpu;
        double beats = r.ok() * (double) BATCH;
        double rate = beats / r.result().measured().toNanos() * 1e9;
        double perBeatUs = cpuMs * 1000 / Math.max(1, beats);
        String what = "gateway: heartbeats in batches of " + BATCH + " (POST /v1/heartbeats)";
        run.say("%s: %,.0f heartbeats/s, batch p99 %.1f ms, %.1f µs server CPU per heartbeat, %s", what, rate, r.p99(),
                perBeatUs, r.errorsByKind());
        Map<String, Object> raw = r.toMap();
        raw.put("heartbeatsPerSecond", rate);
        raw.put("serverCpuPerHeartbeatUs", perBeatUs);
        raw.put("regionalBreakerChanges", changes);
        return new Row(what + (changes == 0 ? "" : " (breaker changed state " + changes + "×)"), rate, r.p50(), r.p99(),
                r.p999(), perBeatUs, r.errors(), raw);
    }

    private static Row redisRow(Run run, Topology topology, String what, List<String> command) {
        double redisCpu = Cpu.redisMs(topology.regional());
        RedisBenchmark.Result r = RedisBenchmark.run(topology.regional().port(), run.connections(), run.duration(),
                run.nodes(), command);
        // The probe run that sized this one is included: its requests too.
        long requests = r.requests() + 20_000;
        double perRequestUs = (Cpu.redisMs(topology.regional()) - redisCpu) * 1000 / requests;
        run.say("%s: %,.0f/s, p99 %.2f ms, %.1f µs Redis CPU per request", what, r.rps(), r.p99(), perRequestUs);
        Map<String, Object> raw = r.toMap();
        raw.put("serverCpuPerRequestUs", perRequestUs);
        return new Row(what, r.rps(), r.p50(), r.p99(), r.p999(), perRequestUs, 0, raw);
    }

    private static void latency(Run run, Topology topology, String[] tokens, SlowLog slowLog) {
        URI gateway = topology.gateway(0);
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, Object>> figures = new ArrayList<>();
        Map<String, RequestSource> paths = new LinkedHashMap<>();
        paths.put("heartbeat", Workloads.heartbeat(tokens));
        paths.put("match", Workloads.match());
        paths.put("claim + release", Workloads.claims());
        Double heartbeatP99AtTop = null;
        int top = run.rates().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (var path : paths.entrySet()) {
            for (int rate : run.rates()) {
                int breaker = topology.regionalBreakerChanges(0);
                Load r = run.open(gateway, path.getKey() + " @ " + rate + "/s", rate, path.getValue(), null);
                int changes = topology.regionalBreakerChanges(0) - breaker;
                Map<String, Map<String, Number>> slow = slowLog.drain();
                run.say("%s at %,d/s: achieved %,.0f/s, p50 %.2f p99 %.2f p99.9 %.2f ms, %d errors%s; Redis held ≥ 1 ms by: %s",
                        path.getKey(), rate, r.rate(), r.p50(), r.p99(), r.p999(), r.errors(),
                        r.saturated() ? ", SATURATED" : "", SlowLog.describe(slow));
                rows.add(List.of(path.getKey() + (changes == 0 ? "" : " (breaker changed state " + changes + "×)"),
                        String.format("%,d", rate), Report.num(r.rate()), Report.ms(r.p50()),
                        Report.ms(r.p99()), Report.ms(r.p999()), Report.ms(r.max()), String.valueOf(r.errors()),
                        r.saturated() || r.rate() < rate * 0.95 ? "yes" : "no", SlowLog.describe(slow)));
                Map<String, Object> map = r.toMap();
                map.put("regionalBreakerChanges", changes);
                map.put("redisSlowLog", slow);
                figures.add(map);
                if (path.getKey().equals("heartbeat") && rate == top) {
                    heartbeatP99AtTop = r.saturated() ? Double.POSITIVE_INFINITY : r.p99();
                }
            }
        }
        run.report().table(new Table("Latency at fixed rates (open loop, " + run.connections() + " connections, "
                        + run.duration().toSeconds() + " s each after " + run.warmup().toSeconds() + " s warm-up)",
                List.of("path", "target/s", "achieved/s", "p50", "p99", "p99.9", "max", "errors", "fell behind",
                        "Redis held ≥ 1 ms by"), rows,
                List.of("latency from each request's intended start (coordinated omission corrected, as wrk2)",
                        "claim + release: every granted claim is released by a later request, so half are each",
                        "fell behind: fewer than 95 % of the target answered per second, or the generator's backlog "
                                + "hit its bound (10 s of requests); the latency of such a row is mostly queueing",
                        "Redis held ≥ 1 ms by: from the regional Redis's SLOWLOG over the phase, the three commands or scripts "
                                + "with the most time at or over 1 ms (all of them are in the JSON)")), run.out());
        run.report().figures("latencyAtRates", figures);
        if (heartbeatP99AtTop != null) {
            boolean measured = top >= 10_000;
            String at = heartbeatP99AtTop.isInfinite() ? "could not sustain " + top + "/s"
                    : Report.ms(heartbeatP99AtTop) + " at " + String.format("%,d", top) + "/s";
            run.report().target(new Target("heartbeat p99 at 10k/s", "< 5 ms", at,
                    measured ? heartbeatP99AtTop < 5 : null,
                    !measured ? "run with 10000 among --rates" : heartbeatP99AtTop < 5 ? "" : "see the latency table"));
        }
    }
}

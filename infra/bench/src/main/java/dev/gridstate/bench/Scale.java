package dev.gridstate.bench;

import dev.gridstate.bench.Report.Table;
import dev.gridstate.bench.Report.Target;
import dev.gridstate.state.Keys;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A region of {@code scaleNodes} nodes on one gateway: Redis memory per node, match latency at
 * that size with and without the fleet's heartbeats (batches of 1000, every node every 5 s), and
 * what the offline sweep costs when the whole fleet stops beating at once.
 */
final class Scale {

    static final Duration TTL = Duration.ofSeconds(90);
    private static final int BATCH = 1000;
    private static final double MATCH_RATE = 1000;

    private Scale() {
    }

    static void run(Run run) {
        int nodes = run.scaleNodes();
        Topology.Settings settings = run.topology().withGatewayEnv(Map.of(
                "GATEWAY_REGISTRY_HEARTBEAT_TTL", TTL.toSeconds() + "s",
                "GATEWAY_REGISTRY_HEARTBEAT_INTERVAL", "5s"));
        try (Topology topology = Topology.start(settings, "scale")) {
            URI gateway = topology.gateway(0);
            RedisCommands<String, String> redis = topology.regional().commands();
            Keys keys = new Keys(Topology.REGION);
            long before = usedMemory(redis);
            String[] tokens = new String[nodes];
            for (int i = 0; i < nodes; i++) {
                tokens[i] = topology.nodeToken(Workloads.nodeId(i));
            }
            run.register(topology, nodes);
            long online = redis.zcard(keys.online());
            // What the change log still holds is not per-node state: wait for it to be sent.
            Replication.awaitGatewayDrained(run, topology, Duration.ofSeconds(30));
            long after = usedMemory(redis);
            double perNode = (after - before) / (double) nodes;
            String sampleUsage = String.valueOf(redis.memoryUsage(keys.node(Workloads.nodeId(nodes / 2))));
            run.say("%,d nodes online; Redis used_memory %,d → %,d bytes: %.0f bytes per node (one node's hash: %s bytes)",
                    online, before, after, perNode, sampleUsage);

            SlowLog slowLog = new SlowLog(topology.regional(), run.topology().gatewayJar());
            // Quiet first: every node registered within the last TTL, nothing else running.
            Load quiet = run.open(gateway, "match, quiet", MATCH_RATE, Workloads.match(), null);
            String quietSlow = SlowLog.describe(slowLog.drain());
            run.say("match at %,d nodes, nothing else running: p50 %.2f p99 %.2f p99.9 %.2f ms; Redis held ≥ 1 ms by: %s",
                    nodes, quiet.p50(), quiet.p99(), quiet.p999(), quietSlow);
            // Then while the fleet beats in batches: every 20 s, then every 5 s (the default interval).
            List<Busy> busy = new ArrayList<>();
            for (int interval : new int[]{20, 5}) {
                busy.add(whileBeating(run, gateway, tokens, interval, slowLog));
            }
            Replication.awaitGatewayDrained(run, topology, Duration.ofSeconds(60));

            Sweep sweep = sweep(run, topology, keys);

            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("Redis memory per node", String.format("%.0f bytes", perNode),
                    "used_memory " + String.format("%,d → %,d", before, after) + "; one node's hash " + sampleUsage + " bytes"));
            rows.add(List.of("match p50 / p99 / p99.9, quiet", Report.ms(quiet.p50()) + " / " + Report.ms(quiet.p99())
                    + " / " + Report.ms(quiet.p999()), String.format("%,.0f queries/s; Redis held ≥ 1 ms by %s", quiet.rate(), quietSlow)));
            for (Busy b : busy) {
                rows.add(List.of("match p50 / p99 / p99.9, every node beating every " + b.intervalSeconds + " s",
                        Report.ms(b.match.p50()) + " / " + Report.ms(b.match.p99()) + " / " + Report.ms(b.match.p999()),
                        String.format("%,.0f queries/s while %,.0f of %,.0f heartbeats/s (batch p99 %s, %d failed); "
                                        + "Redis held ≥ 1 ms by %s", b.match.rate(), b.beats.ok() * (double) BATCH
                                        / b.beats.result().measured().toNanos() * 1e9, nodes / (double) b.intervalSeconds,
                                Report.ms(b.beats.p99()), b.beats.errors(), b.slow)));
            }
            rows.add(List.of("sweep: last deadline → index empty", sweep.emptyAfterLastDeadline == null ? "not within 60 s"
                    : String.format("%.1f s", sweep.emptyAfterLastDeadline / 1000.0),
                    String.format("%,d deadlines over %.1f s", sweep.swept, sweep.deadlineSpreadMs / 1000.0)));
            rows.add(List.of("sweep: Redis + gateway CPU", String.format("%.1f µs per node taken offline",
                    sweep.cpuUsPerNode), String.format("Redis %,.0f ms, gateway %,.0f ms", sweep.redisCpuMs, sweep.gatewayCpuMs)));
            run.report().table(new Table("Scale: " + String.format("%,d", nodes) + " nodes in one region",
                    List.of("what", "measured", "how"), rows,
                    List.of("match queries at " + (int) MATCH_RATE + "/s, open loop; heartbeats in batches of " + BATCH
                                    + " on 4 connections, open loop at the rate that beats every node once an interval",
                            "sweep: heartbeats stopped, TTL " + TTL.toSeconds() + " s; CPU from the first deadline "
                                    + "until the online index is empty, over the nodes taken offline")), run.out());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("nodes", nodes);
            figures.put("usedMemoryBefore", before);
            figures.put("usedMemoryAfter", after);
            figures.put("bytesPerNode", perNode);
            figures.put("matchQuiet", quiet.toMap());
            for (Busy b : busy) {
                figures.put("matchBeatingEvery" + b.intervalSeconds + "s", b.match.toMap());
                figures.put("batchesEvery" + b.intervalSeconds + "s", b.beats.toMap());
            }
            figures.put("sweep", sweep);
            run.report().figures("scale", figures);
            run.report().target(new Target("memory per node at " + String.format("%,d", nodes) + " nodes", "≤ 1 KiB",
                    String.format("%.0f bytes", perNode), nodes >= 100_000 ? perNode <= 1024 : null,
                    nodes >= 100_000 ? "" : "run with --scale-nodes 100000"));
            String beating = busy.stream().map(b -> Report.ms(b.match.p99()) + " beating every " + b.intervalSeconds + " s")
                    .reduce((a, b) -> a + ", " + b).orElse("");
            run.report().target(new Target("match p99 at " + String.format("%,d", nodes) + " nodes", "< 5 ms",
                    Report.ms(quiet.p99()) + " quiet, " + beating, nodes >= 100_000 ? quiet.p99() < 5 : null,
                    nodes >= 100_000 ? "judged on the quiet figure; see the scale table" : "run with --scale-nodes 100000"));
        }
    }

    private record Busy(int intervalSeconds, Load match, Load beats, String slow) {
    }

    /** Matches while every node beats once every {@code intervalSeconds}, in batches. */
    private static Busy whileBeating(Run run, java.net.URI gateway, String[] tokens, int intervalSeconds, SlowLog slowLog) {
        double batchRate = tokens.length / (double) BATCH / intervalSeconds;
        Duration keepAliveFor = run.warmup().plus(run.duration()).plusSeconds(2);
        CompletableFuture<Load> keepAlive = CompletableFuture.supplyAsync(() -> LoadDriver.open(gateway,
                "heartbeat batches", 4, batchRate, Duration.ZERO, keepAliveFor, Workloads.batches(tokens, BATCH), null));
        Load match = run.open(gateway, "match, beating every " + intervalSeconds + " s", MATCH_RATE, Workloads.match(), null);
        Load beats = keepAlive.join();
        String slow = SlowLog.describe(slowLog.drain());
        run.say("match at %,d nodes beating every %d s: p50 %.2f p99 %.2f p99.9 %.2f ms; batches p99 %.1f ms, %d failed; "
                + "Redis held ≥ 1 ms by: %s", tokens.length, intervalSeconds, match.p50(), match.p99(), match.p999(),
                beats.p99(), beats.errors(), slow);
        return new Busy(intervalSeconds, match, beats, slow);
    }

    /** What taking the whole fleet offline cost. */
    record Sweep(long swept, double deadlineSpreadMs, Long emptyAfterLastDeadline, double redisCpuMs,
                 double gatewayCpuMs, double cpuUsPerNode) {
    }

    private static Sweep sweep(Run run, Topology topology, Keys keys) {
        RedisCommands<String, String> redis = topology.regional().commands();
        List<ScoredValue<String>> first = redis.zrangeWithScores(keys.online(), 0, 0);
        List<ScoredValue<String>> last = redis.zrangeWithScores(keys.online(), -1, -1);
        long count = redis.zcard(keys.online());
        if (first.isEmpty()) {
            return new Sweep(0, 0, null, 0, 0, Double.NaN);
        }
        long firstDeadline = (long) first.get(0).getScore();
        long lastDeadline = (long) last.get(0).getScore();
        run.say("sweep: %,d nodes, deadlines within %.1f s; waiting for them to pass", count, (lastDeadline - firstDeadline) / 1000.0);
        // Deadlines are Redis server time (ms); wait on Redis's clock, not ours.
        waitUntil(redis, firstDeadline, Duration.ofSeconds(60));
        double redisCpu = Cpu.redisMs(topology.regional());
        long gatewayPid = topology.gatewayProcess(0).pid();
        double gatewayCpu = Cpu.processMs(gatewayPid);
        long limit = lastDeadline + 60_000;
        Long emptyAt = null;
        while (redisTime(redis) < limit) {
            if (redis.zcount(keys.online(), Range.create(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)) == 0) {
                emptyAt = redisTime(redis);
                break;
            }
            Run.pause(20);
        }
        double redisMs = Cpu.redisMs(topology.regional()) - redisCpu;
        double gatewayMs = Cpu.processMs(gatewayPid) - gatewayCpu;
        Long lag = emptyAt == null ? null : Math.max(0, emptyAt - lastDeadline);
        Sweep sweep = new Sweep(count, lastDeadline - firstDeadline, lag, redisMs, gatewayMs,
                (redisMs + gatewayMs) * 1000 / count);
        run.say("sweep: %s", sweep);
        return sweep;
    }

    private static long redisTime(RedisCommands<String, String> redis) {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static void waitUntil(RedisCommands<String, String> redis, long redisMillis, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (redisTime(redis) < redisMillis && System.nanoTime() < deadline) {
            Run.pause(20);
        }
    }

    static long usedMemory(RedisCommands<String, String> redis) {
        return Long.parseLong(RedisInfo.field(redis, "memory", "used_memory"));
    }
}

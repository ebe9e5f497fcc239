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

    static final Duration TTL = Duration.ofSeconds(60);
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

            // From now on every node beats every 5 s, as the fleet would, while matches run.
            double batchRate = nodes / (double) BATCH / 5.0;
            Duration keepAliveFor = run.warmup().plus(run.duration()).plusSeconds(5);
            CompletableFuture<Load> keepAlive = CompletableFuture.supplyAsync(() -> LoadDriver.open(gateway,
                    "heartbeat batches", 4, batchRate, Duration.ZERO, keepAliveFor, Workloads.batches(tokens, BATCH), null));
            Load busy = run.open(gateway, "match, fleet beating", MATCH_RATE, Workloads.match(), null);
            Load beats = keepAlive.join();
            run.say("match at %,d nodes while %.0f batches/s beat them: p50 %.2f p99 %.2f p99.9 %.2f ms; batches p99 %.1f ms, %d errors",
                    nodes, batchRate, busy.p50(), busy.p99(), busy.p999(), beats.p99(), beats.errors());
            // Every node beat in the last 5 s: 55 s of TTL left for a quiet measurement.
            Load quiet = run.open(gateway, "match, quiet", MATCH_RATE, Duration.ofSeconds(2),
                    Duration.ofSeconds(Math.min(15, run.duration().toSeconds())), Workloads.match(), null);
            run.say("match at %,d nodes, nothing else running: p50 %.2f p99 %.2f p99.9 %.2f ms", nodes,
                    quiet.p50(), quiet.p99(), quiet.p999());

            Sweep sweep = sweep(run, topology, keys);

            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("Redis memory per node", String.format("%.0f bytes", perNode),
                    "used_memory " + String.format("%,d → %,d", before, after) + "; one node's hash " + sampleUsage + " bytes"));
            rows.add(List.of("match p50 / p99 / p99.9, fleet beating", Report.ms(busy.p50()) + " / " + Report.ms(busy.p99())
                    + " / " + Report.ms(busy.p999()), String.format("%,.0f queries/s while %,.0f heartbeats/s (batches p99 %s)",
                    busy.rate(), beats.rate() * BATCH, Report.ms(beats.p99()))));
            rows.add(List.of("match p50 / p99 / p99.9, quiet", Report.ms(quiet.p50()) + " / " + Report.ms(quiet.p99())
                    + " / " + Report.ms(quiet.p999()), String.format("%,.0f queries/s", quiet.rate())));
            rows.add(List.of("sweep: last deadline → index empty", sweep.emptyAfterLastDeadline == null ? "not within 60 s"
                    : String.format("%.1f s", sweep.emptyAfterLastDeadline / 1000.0),
                    String.format("%,d deadlines over %.1f s", sweep.swept, sweep.deadlineSpreadMs / 1000.0)));
            rows.add(List.of("sweep: Redis + gateway CPU", String.format("%.1f µs per node taken offline",
                    sweep.cpuUsPerNode), String.format("Redis %,.0f ms, gateway %,.0f ms", sweep.redisCpuMs, sweep.gatewayCpuMs)));
            run.report().table(new Table("Scale: " + String.format("%,d", nodes) + " nodes in one region",
                    List.of("what", "measured", "how"), rows,
                    List.of("match queries at " + (int) MATCH_RATE + "/s, open loop; heartbeats in batches of " + BATCH
                                    + " at 4 connections, each node every 5 s",
                            "sweep: heartbeats stopped, TTL " + TTL.toSeconds() + " s; CPU from the first deadline "
                                    + "until the online index is empty, over the nodes taken offline")), run.out());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("nodes", nodes);
            figures.put("usedMemoryBefore", before);
            figures.put("usedMemoryAfter", after);
            figures.put("bytesPerNode", perNode);
            figures.put("matchBusy", busy.toMap());
            figures.put("keepAliveBatches", beats.toMap());
            figures.put("matchQuiet", quiet.toMap());
            figures.put("sweep", sweep);
            run.report().figures("scale", figures);
            run.report().target(new Target("memory per node at " + String.format("%,d", nodes) + " nodes", "≤ 1 KiB",
                    String.format("%.0f bytes", perNode), nodes >= 100_000 ? perNode <= 1024 : null,
                    nodes >= 100_000 ? "" : "run with --scale-nodes 100000"));
            double worst = Math.max(busy.p99(), quiet.p99());
            run.report().target(new Target("match p99 at " + String.format("%,d", nodes) + " nodes", "< 5 ms",
                    Report.ms(busy.p99()) + " with the fleet beating, " + Report.ms(quiet.p99()) + " quiet",
                    nodes >= 100_000 ? worst < 5 : null, nodes >= 100_000 ? "" : "run with --scale-nodes 100000"));
        }
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
            sleep(20);
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
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static long usedMemory(RedisCommands<String, String> redis) {
        for (String line : redis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }
}

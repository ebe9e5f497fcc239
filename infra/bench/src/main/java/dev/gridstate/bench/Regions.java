package dev.gridstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.agent.sim.SimulatedFleetBuilder;
import dev.gridstate.bench.Report.Table;
import dev.gridstate.state.Keys;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.TcpProxy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Many regions on one central: for each region count N, one central Redis, one replicator, and N
 * regions of one gateway JVM and one Redis each, every region with the same simulated fleet
 * beating at the production interval, so the load on central grows with N. After registration and
 * a settle period it measures one window: central's memory, commands and CPU, the replicator's CPU,
 * the replication lag, the change log's rate and weight, the gateways' CPU and the whole machine's.
 */
final class Regions {

    /** How long the change-log tap listens after the window. */
    private static final Duration TAP = Duration.ofSeconds(10);
    /** Before the fleet starts: the processes' cost with nothing to do, read after a quiet spell (start-up's JIT). */
    private static final Duration QUIET = Duration.ofSeconds(15);
    private static final Duration IDLE = Duration.ofSeconds(15);
    private static final Duration REGISTER_BOUND = Duration.ofSeconds(180);
    private static final Duration LAG_SAMPLE = Duration.ofSeconds(1);
    /** Agents start at random moments within this span: the registrations of 10 regions at once would be a herd. */
    private static final Duration FLEET_START_SPREAD = Duration.ofSeconds(30);

    /** What to run: region counts, nodes per region, settle and window, the gateways' heap. */
    record Plan(List<Integer> counts, int nodesPerRegion, Duration settle, Duration window, String gatewayHeap) {

        Plan {
            counts = List.copyOf(counts);
            for (int n : counts) {
                check(n >= 1 && n <= 99, "every region count must be between 1 and 99 (regions are r01 … r99)", n);
            }
            check(!counts.isEmpty(), "the region counts must name at least one count", counts);
            check(nodesPerRegion >= 1 && nodesPerRegion <= 9_999, "nodes per region must be between 1 and 9999",
                    nodesPerRegion);
            check(!settle.isNegative(), "the settle period must not be negative", settle);
            check(window.compareTo(Duration.ofSeconds(5)) >= 0, "the window must be at least 5 s", window);
            check(gatewayHeap.matches("[0-9]+[kmgKMG]"), "the gateway heap must look like 256m", gatewayHeap);
        }

        private static void check(boolean valid, String rule, Object value) {
            if (!valid) {
                throw new IllegalArgumentException(rule + ", but was " + value);
            }
        }
    }

    private Regions() {
    }

    static void run(Run run) {
        Plan plan = run.regions();
        run.say("regions: counts %s, %,d nodes per region, settle %d s, window %d s, gateway heap %s",
                plan.counts(), plan.nodesPerRegion(), plan.settle().toSeconds(), plan.window().toSeconds(), plan.gatewayHeap());
        List<Measured> steps = new ArrayList<>();
        for (int n : plan.counts()) {
            steps.add(measure(run, plan, n));
        }
        RegionsTables.report(run, plan, steps);
    }

    /** One region count's figures, and how many of its processes outlived the teardown (0 is right). */
    record Measured(RegionsStep step, int leftover) {
    }

    private static Measured measure(Run run, Plan plan, int count) {
        String label = "regions-" + count;
        Optional<ProcessHandle> broker = RegionsReading.broker();
        RegionsTopology topology = RegionsTopology.start(run.topology(), count, plan.gatewayHeap(), label);
        int leftover;
        RegionsStep step;
        try {
            List<SimulatedFleet> fleets = new ArrayList<>();
            RegionsTopology.Region first = topology.regions().get(0);
            try (TcpProxy relay = TcpProxy.to(first.gateway().uri().getPort())) {
                for (RegionsTopology.Region region : topology.regions()) {
                    // A seed per region: with one seed every region's agents would start and beat in lock-step.
                    fleets.add(SimulatedFleet.builder().nodesPerRegion(plan.nodesPerRegion()).startSpread(FLEET_START_SPREAD)
                            .seed(SimulatedFleetBuilder.DEFAULT_SEED + fleets.size())
                            .region(region.name(), List.of(region == first ? URI.create("http://127.0.0.1:" + relay.port()) : region.gateway().uri())).build());
                }
                try {
                    Run.pause(QUIET.toMillis());
                    RegionsReading idleFrom = RegionsReading.take(topology, fleets, relay, broker);
                    Run.pause(IDLE.toMillis());
                    RegionsReading empty = RegionsReading.take(topology, fleets, relay, broker);
                    run.say("%s: %d regions up; idle for %d s: gateways %.3f CPUs, replicator %.3f, central %.3f, machine %.2f busy",
                            label, count, IDLE.toSeconds(), (empty.gatewaysMs() - idleFrom.gatewaysMs()) / 1000 / empty.seconds(idleFrom),
                            (empty.replicatorMs() - idleFrom.replicatorMs()) / 1000 / empty.seconds(idleFrom),
                            (empty.centralMs() - idleFrom.centralMs()) / 1000 / empty.seconds(idleFrom),
                            empty.machine().busyCpusSince(idleFrom.machine(), cpus()));

                    fleets.forEach(SimulatedFleet::start);
                    long total = (long) count * plan.nodesPerRegion();
                    long registeredIn = awaitRegistered(fleets, total);
                    run.say("%s: %,d of %,d nodes registered in %.1f s; settling for %d s", label,
                            fleets.stream().mapToLong(SimulatedFleet::registeredNodes).sum(), total, registeredIn / 1e9,
                            plan.settle().toSeconds());
                    Run.pause(plan.settle().toMillis());

                    RegionsReading from = RegionsReading.take(topology, fleets, relay, broker);
                    List<Long> behind = sampleBehind(topology, plan.window());
                    RegionsReading to = RegionsReading.take(topology, fleets, relay, broker);
                    List<JsonNode> lag = replicatorLag(topology);
                    long online = topology.regions().stream()
                            .mapToLong(r -> r.redis().commands().zcard(new Keys(r.name()).online())).sum();
                    ChangeLogTap tap = ChangeLogTap.sample(RabbitBroker.shared(), topology.exchange(), TAP);
                    step = RegionsStep.of(count, plan.nodesPerRegion(), online, registeredIn, empty, idleFrom, from, to,
                            behind, lag, tap, cpus());
                    run.say("%s: %s", label, step.summary());
                } finally {
                    fleets.forEach(SimulatedFleet::close);
                }
            }
        } finally {
            leftover = topology.closeAndCount();
        }
        run.say("%s: torn down; %d of its processes still alive", label, leftover);
        return new Measured(step, leftover);
    }

    /** Nanoseconds until every node of the fleets is registered, or the bound. */
    private static long awaitRegistered(List<SimulatedFleet> fleets, long total) {
        long start = System.nanoTime();
        long deadline = start + REGISTER_BOUND.toNanos();
        while (fleets.stream().mapToLong(SimulatedFleet::registeredNodes).sum() < total && System.nanoTime() < deadline) {
            Run.pause(200);
        }
        return System.nanoTime() - start;
    }

    /**
     * Each gateway's {@code centralBehindMs} (the region's newest change against the newest version
     * central applied) once a second over the window; unknown readings are left out.
     */
    private static List<Long> sampleBehind(RegionsTopology topology, Duration window) {
        List<Long> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        long rounds = window.toSeconds() / LAG_SAMPLE.toSeconds() + 1;
        for (long round = 0; round < rounds && System.nanoTime() < end; round++) {
            for (RegionsTopology.Region region : topology.regions()) {
                JsonNode status = Json.get(region.gateway().uri(), "/v1/admin/replication", topology.adminToken());
                if (status != null && status.path("centralBehindMs").isNumber()) {
                    samples.add(status.path("centralBehindMs").asLong());
                }
            }
            long next = start + (round + 1) * LAG_SAMPLE.toNanos();
            long wait = Math.min(next, end) - System.nanoTime();
            if (wait > 0) {
                Run.pause(wait / 1_000_000);
            }
        }
        return samples;
    }

    /** The replicator's per-region status (lag percentiles over its last minutes, counts). */
    private static List<JsonNode> replicatorLag(RegionsTopology topology) {
        JsonNode status = Json.get(topology.replicator().uri(), "/v1/replication", null);
        List<JsonNode> regions = new ArrayList<>();
        if (status != null) {
            status.path("regions").forEach(regions::add);
        }
        return regions;
    }

    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    static Map<String, Object> planMap(Plan plan) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("counts", plan.counts());
        map.put("nodesPerRegion", plan.nodesPerRegion());
        map.put("settle", plan.settle().toString());
        map.put("window", plan.window().toString());
        map.put("gatewayHeap", plan.gatewayHeap());
        return map;
    }
}

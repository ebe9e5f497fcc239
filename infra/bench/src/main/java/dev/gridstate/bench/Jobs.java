package dev.gridstate.bench;

import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.bench.Report.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jobs end to end through two gateway replicas: clients submit as fast as the gateways accept
 * (each 202 after the broker confirmed), a simulated fleet of 40 nodes runs them (no work in the
 * handler, so what is measured is the system's cost per job: publish, consume, claim, inbox, long
 * poll, result, durable end, ack), and the run ends when every accepted job has run.
 */
final class Jobs {

    private static final int NODES = 40;
    private static final Duration SUBMIT_FOR = Duration.ofSeconds(10);

    private Jobs() {
    }

    static void run(Run run) {
        try (Topology topology = Topology.start(run.topology().withReplicas(2), "jobs")) {
            AtomicLong runs = new AtomicLong();
            AtomicLong lastRunAt = new AtomicLong();
            Set<String> distinct = ConcurrentHashMap.newKeySet();
            try (SimulatedFleet fleet = SimulatedFleet.builder().nodesPerRegion(NODES).churnFraction(0)
                    .region(Topology.REGION, topology.gateways())
                    .jobs(assignment -> {
                        distinct.add(assignment.jobId());
                        runs.incrementAndGet();
                        lastRunAt.set(System.nanoTime());
                        return null;
                    }).build()) {
                fleet.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (fleet.registeredNodes() < NODES && System.nanoTime() < deadline) {
                    Run.pause(100);
                }
                run.say("jobs: %d of %d simulated nodes registered through %d replicas", fleet.registeredNodes(), NODES,
                        topology.gateways().size());

                String runId = Long.toHexString(System.nanoTime());
                long start = System.nanoTime();
                List<CompletableFuture<Load>> submitters = new ArrayList<>();
                for (int replica = 0; replica < 2; replica++) {
                    var gateway = topology.gateway(replica);
                    String prefix = runId + "-" + replica;
                    // No warm-up: every job accepted is counted.
                    submitters.add(CompletableFuture.supplyAsync(() -> LoadDriver.closed(gateway, "submit via " + gateway,
                            run.connections() / 2, Duration.ZERO, SUBMIT_FOR, Workloads.jobs(SimulatedFleet.models(), prefix))));
                }
                List<Load> submitted = submitters.stream().map(CompletableFuture::join).toList();
                long submitEnd = System.nanoTime();
                long accepted = submitted.stream().mapToLong(Load::ok).sum();
                long refused = submitted.stream().mapToLong(Load::errors).sum();
                run.say("jobs: %,d accepted (%,d refused) in %.1f s; waiting for them to run", accepted, refused,
                        (submitEnd - start) / 1e9);
                long drainDeadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (distinct.size() < accepted && System.nanoTime() < drainDeadline) {
                    Run.pause(50);
                }
                double seconds = (lastRunAt.get() - start) / 1e9;
                double intake = accepted / ((submitEnd - start) / 1e9);
                double endToEnd = distinct.size() / seconds;
                run.say("jobs: %,d of %,d ran (%,d runs) by %.1f s after the first submit: %,.0f jobs/s end to end",
                        distinct.size(), accepted, runs.get(), seconds, endToEnd);
                List<String> notes = new ArrayList<>(List.of(
                        "two gateway replicas, " + NODES + " simulated nodes, " + run.connections() / 2
                                + " client connections per replica submitting for " + SUBMIT_FOR.toSeconds() + " s",
                        "end to end: jobs run (distinct) over the time from the first submit to the last run"));
                if (distinct.size() < accepted) {
                    notes.add((accepted - distinct.size()) + " accepted jobs had not run within 180 s");
                }
                run.report().table(new Table("Jobs end to end", List.of("what", "measured"), List.of(
                        List.of("accepted (202) / refused", String.format("%,d / %,d", accepted, refused)),
                        List.of("intake", String.format("%,.0f jobs/s", intake)),
                        List.of("submit p50 / p99", submitted.stream().map(r -> Report.ms(r.p50()) + " / " + Report.ms(r.p99()))
                                .reduce((a, b) -> a + "; " + b).orElse("–")),
                        List.of("end to end", String.format("%,.0f jobs/s (%,d jobs in %.1f s)", endToEnd, distinct.size(), seconds)),
                        List.of("runs beyond one per job", String.valueOf(runs.get() - distinct.size()))), notes), run.out());
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("accepted", accepted);
                figures.put("refused", refused);
                figures.put("ran", distinct.size());
                figures.put("runs", runs.get());
                figures.put("seconds", seconds);
                figures.put("intakePerSecond", intake);
                figures.put("endToEndPerSecond", endToEnd);
                figures.put("submit", submitted.stream().map(Load::toMap).toList());
                run.report().figures("jobs", figures);
            }
        }
    }
}

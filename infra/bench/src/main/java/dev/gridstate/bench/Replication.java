package dev.gridstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.bench.Report.Table;
import dev.gridstate.bench.Report.Target;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The change log from a region to central: the lag at a steady rate of changes, as the replicator
 * measures it (from a change's time at the gateway to central having applied it), and how many
 * entity states one replicator applies per second when it drains a backlog.
 */
final class Replication {

    static final double LAG_RATE = 5000;

    private Replication() {
    }

    static void run(Run run) {
        try (Topology topology = Topology.start(run.topology(), "replication")) {
            URI gateway = topology.gateway(0);
            run.register(topology, run.nodes());
            awaitDrained(run, topology, Duration.ofSeconds(120));

            // 1. Lag: a fresh replicator, so its percentiles cover this phase only.
            topology.startReplicator();
            Load load = run.open(gateway, "re-registrations @ " + (int) LAG_RATE + "/s", LAG_RATE,
                    Workloads.register(0, run.nodes()), null);
            awaitDrained(run, topology, Duration.ofSeconds(120));
            JsonNode lag = region(topology);
            double p50 = lag.path("lagP50Ms").asDouble(Double.NaN);
            double p99 = lag.path("lagP99Ms").asDouble(Double.NaN);
            double max = lag.path("lagMaxMs").asDouble(Double.NaN);
            run.say("lag at %,.0f changes/s: p50 %.0f p99 %.0f max %.0f ms (request p99 %.1f ms, %d errors)",
                    load.rate(), p50, p99, max, load.p99(), load.errors());

            // 2. Drain: the replicator stopped while changes pile up on the broker, then a new one.
            topology.stopReplicator();
            Load backlog = run.closed(gateway, "re-registrations, replicator stopped", Workloads.register(0, run.nodes()));
            awaitGatewayDrained(run, topology, Duration.ofSeconds(60));
            topology.startReplicator();
            long start = System.nanoTime();
            Instant startedAt = Instant.now();
            JsonNode first = region(topology);
            awaitDrained(run, topology, Duration.ofSeconds(300));
            JsonNode last = region(topology);
            long messages = last.path("appliedMessages").asLong() - first.path("appliedMessages").asLong();
            long entities = last.path("appliedEntities").asLong() - first.path("appliedEntities").asLong()
                    + last.path("unchangedEntities").asLong() - first.path("unchangedEntities").asLong();
            // The drain ended with its last batch, not when the poll noticed.
            String lastAt = last.path("lastAppliedAt").asText(null);
            double seconds = lastAt == null ? (System.nanoTime() - start) / 1e9
                    : Math.max(0.001, Duration.between(startedAt, Instant.parse(lastAt)).toNanos() / 1e9);
            double perSecond = entities / seconds;
            run.say("one replicator drained %,d messages, %,d entity states in %.1f s: %,.0f entities/s (backlog of %,d requests)",
                    messages, entities, seconds, perSecond, backlog.ok());

            run.report().table(new Table("Replication: region → broker → replicator → central",
                    List.of("what", "measured", "how"), List.of(
                            List.of("lag p50 / p99 / max", Report.ms(p50) + " / " + Report.ms(p99) + " / " + Report.ms(max),
                                    String.format("re-registrations at %,.0f/s (target %,.0f/s) for %d s, %,d nodes; "
                                            + "request p99 %s, %d errors", load.rate(), LAG_RATE, run.duration().toSeconds(),
                                            run.nodes(), Report.ms(load.p99()), load.errors())),
                            List.of("one replicator's apply rate", String.format("%,.0f entity states/s", perSecond),
                                    String.format("%,d messages, %,d entity states drained in %.1f s", messages, entities, seconds))),
                    List.of("lag: from the oldest change a message carries (its time at the gateway) to central having "
                                    + "applied it, as the replicator records it; one change per re-registration, "
                                    + "exported within the 100 ms flush interval",
                            "heartbeats are coalesced over a 1 s window by design, so their lag is about 1 s and is not "
                                    + "the figure the target is about")), run.out());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("lagLoad", load.toMap());
            figures.put("lagP50Ms", p50);
            figures.put("lagP99Ms", p99);
            figures.put("lagMaxMs", max);
            figures.put("drainMessages", messages);
            figures.put("drainEntities", entities);
            figures.put("drainSeconds", seconds);
            figures.put("entitiesPerSecond", perSecond);
            run.report().figures("replication", figures);
            boolean atRate = load.rate() >= LAG_RATE * 0.95;
            run.report().target(new Target("replication lag p99 at 5k changes/s", "< 250 ms",
                    Report.ms(p99) + " at " + Report.num(load.rate()) + " changes/s", atRate ? p99 < 250 : Boolean.FALSE,
                    atRate ? (p99 < 250 ? "" : "see the replication table") : "the gateway did not sustain 5k changes/s"));
        }
    }

    /** The replicator's view of the region, from {@code GET /v1/replication}. */
    static JsonNode region(Topology topology) {
        JsonNode status = Json.get(topology.replicator().uri(), "/v1/replication", null);
        if (status == null) {
            throw new IllegalStateException("the replicator did not answer GET /v1/replication");
        }
        for (JsonNode region : status.path("regions")) {
            if (region.path("region").asText().equals(Topology.REGION)) {
                return region;
            }
        }
        throw new IllegalStateException("the replicator does not replicate " + Topology.REGION + ": " + status);
    }

    /** Until the gateway has nothing left to send (pending entities and outbox both 0). */
    static void awaitGatewayDrained(Run run, Topology topology, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = Json.get(topology.gateway(0), "/v1/admin/replication", topology.adminToken());
            if (status != null && status.path("pendingEntities").asLong(-1) == 0 && status.path("outboxMessages").asLong(-1) == 0) {
                return;
            }
            Run.pause(100);
        }
        run.say("warning: the gateway still had changes to send after %d s", bound.toSeconds());
    }

    /** Until the gateway has sent everything and the replicator has applied it (waiting 0, three readings in a row). */
    static void awaitDrained(Run run, Topology topology, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        awaitGatewayDrained(run, topology, bound);
        int zeros = 0;
        while (System.nanoTime() < deadline) {
            if (region(topology).path("waiting").asLong(-1) == 0) {
                if (++zeros >= 3) {
                    return;
                }
            } else {
                zeros = 0;
            }
            // the queue depth is sampled about once a second
            Run.pause(500);
        }
        run.say("warning: the replicator had not drained after %d s", bound.toSeconds());
    }
}

package dev.gridstate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.agent.AgentCounters;
import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.testkit.RedisServer;
import dev.gridstate.testkit.TcpProxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the regions measurement reads at one instant; two readings make a window, and every
 * figure of the table is a difference between them over the wall time between them.
 *
 * @param replicatorMs   CPU time of the replicator process so far; likewise the gateways (summed), this
 *                       bench JVM (the simulated fleets, the byte-counting relay, these readings) and the
 *                       broker (shared with whatever else uses it)
 * @param centralMs      central Redis's own CPU (INFO cpu, main process); children (RDB, AOF rewrite) apart
 * @param centralCommands every command central ran, those inside scripts included (total_commands_processed)
 * @param centralScripts  central's script calls and their time; regionalScripts the same, every regional Redis summed
 * @param messages       change-log messages the replicator applied, all regions; entities the entries they carried
 * @param lagCount       replication.lag timer: messages measured so far, and the sum of their lags
 * @param firstRegion    the counters of region r01's fleet, whose gateway is behind the byte-counting relay;
 *                       firstRegionRequests its heartbeat requests, firstRegionBusy its batches answered 503
 */
record RegionsReading(long nanos, MachineCpu machine, double replicatorMs, double gatewaysMs, double benchMs,
                      double centralMs, double centralChildrenMs, double regionalsMs, double brokerMs,
                      long centralUsedMemory, long centralCommands, Scripts centralScripts, long regionalUsedMemory,
                      Scripts regionalScripts,
                      long messages, long entities, double lagCount, double lagSumSeconds, AgentCounters fleet,
                      AgentCounters firstRegion, Bytes firstRegionBytes, double firstRegionRequests,
                      double firstRegionBusy,
                      long gatewaysRssKb) {

    private static final String REQUESTS = "http_server_requests_seconds_count";
    private static final String EVALSHA = "cmdstat_evalsha:";

    /** A Redis's script calls so far and the time they held it (INFO commandstats, evalsha: calls and usec). */
    /** Bytes the relay in front of region r01's gateway carried: requests to it, answers from it. */
    record Bytes(long requests, long answers) {
    }

    record Scripts(long calls, long usec) {

        Scripts plus(Scripts other) {
            return new Scripts(calls + other.calls, usec + other.usec);
        }
    }

    static RegionsReading take(RegionsTopology topology, List<SimulatedFleet> fleets, TcpProxy relay,
                               Optional<ProcessHandle> broker) {
        long nanos = System.nanoTime();
        MachineCpu machine = MachineCpu.read();
        List<RegionsTopology.Region> regions = topology.regions();
        double gatewaysMs = regions.stream().mapToDouble(r -> Cpu.processMs(r.gateway().pid())).sum();
        double regionalsMs = regions.stream().mapToDouble(r -> Cpu.redisMs(r.redis())).sum();
        long regionalMemory = regions.stream().mapToLong(r -> Scale.usedMemory(r.redis().commands())).sum();
        long rss = regions.stream().mapToLong(r -> rssKb(r.gateway().pid())).sum();
        Scripts regionalScripts = regions.stream().map(r -> scripts(r.redis())).reduce(new Scripts(0, 0), Scripts::plus);
        RedisServer central = topology.central();
        double centralChildren = (Double.parseDouble(RedisInfo.field(central.commands(), "cpu", "used_cpu_sys_children"))
                + Double.parseDouble(RedisInfo.field(central.commands(), "cpu", "used_cpu_user_children"))) * 1000;
        JsonNode status = Json.get(topology.replicator().uri(), "/v1/replication", null);
        long messages = 0;
        long entities = 0;
        if (status != null) {
            for (JsonNode region : status.path("regions")) {
                messages += region.path("appliedMessages").asLong();
                entities += region.path("appliedEntities").asLong() + region.path("unchangedEntities").asLong();
            }
        }
        Scrape replicator = Scrape.of(topology.replicator().uri());
        Scrape first = Scrape.of(regions.get(0).gateway().uri());
        double firstRequests = zeroIfNaN(first.sum(REQUESTS, "uri=\"/v1/heartbeats\""))
                + zeroIfNaN(first.sum(REQUESTS, "/heartbeat\""));
        return new RegionsReading(nanos, machine, Cpu.processMs(topology.replicator().pid()), gatewaysMs, Cpu.selfMs(),
                Cpu.redisMs(central), centralChildren, regionalsMs,
                broker.map(p -> Cpu.processMs(p.pid())).orElse(Double.NaN), Scale.usedMemory(central.commands()),
                Long.parseLong(RedisInfo.field(central.commands(), "stats", "total_commands_processed")),
                scripts(central), regionalMemory, regionalScripts, messages, entities,
                replicator.sum("replication_lag_seconds_count"), replicator.sum("replication_lag_seconds_sum"),
                fleets.stream().map(SimulatedFleet::counters).reduce(AgentCounters.ZERO, AgentCounters::plus),
                fleets.get(0).counters(), new Bytes(relay.bytesToUpstream(), relay.bytesFromUpstream()), firstRequests,
                zeroIfNaN(first.sum(REQUESTS, "uri=\"/v1/heartbeats\"", "status=\"503\"")), rss);
    }

    double seconds(RegionsReading before) {
        return (nanos - before.nanos) / 1e9;
    }

    /** The machine's RabbitMQ (the system service, run as user rabbitmq), if it runs here. */
    static Optional<ProcessHandle> broker() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
                .filter(p -> p.info().user().map("rabbitmq"::equals).orElse(false))
                .findFirst();
    }

    static Scripts scripts(RedisServer redis) {
        for (String line : redis.commands().info("commandstats").split("\r?\n")) {
            if (line.startsWith(EVALSHA)) {
                return parseScripts(line);
            }
        }
        return new Scripts(0, 0);
    }

    /** {@code cmdstat_evalsha:calls=12,usec=345,usec_per_call=28.75,…}. */
    static Scripts parseScripts(String line) {
        long calls = 0;
        long usec = 0;
        for (String field : line.substring(EVALSHA.length()).split(",")) {
            if (field.startsWith("calls=")) {
                calls = Long.parseLong(field.substring("calls=".length()));
            } else if (field.startsWith("usec=")) {
                usec = Long.parseLong(field.substring("usec=".length()));
            }
        }
        return new Scripts(calls, usec);
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static double zeroIfNaN(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}

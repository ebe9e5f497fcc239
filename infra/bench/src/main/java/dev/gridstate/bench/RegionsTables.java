package dev.gridstate.bench;

import dev.gridstate.bench.Report.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The regions measurement's tables (central and the replicator; the machine; the wire) and its JSON figures. */
final class RegionsTables {

    private RegionsTables() {
    }

    static void report(Run run, Regions.Plan plan, List<Regions.Measured> measured) {
        List<List<String>> central = new ArrayList<>();
        List<List<String>> machine = new ArrayList<>();
        List<List<String>> wire = new ArrayList<>();
        for (Regions.Measured m : measured) {
            RegionsStep s = m.step();
            central.add(List.of(String.valueOf(s.regions()),
                    String.format("%,d (%,d online)", s.nodes(), s.online()),
                    Report.num(s.heartbeatsPerSecond()),
                    Report.num(s.changesPerSecond()) + " (" + Report.num(s.messagesPerSecond()) + ")",
                    String.format("%.0f B", s.centralBytesPerNode()),
                    Report.num(s.centralCommandsPerSecond()) + " (" + Report.num(s.centralCommandsPerChange()) + "; scripts "
                            + Report.num(s.centralScriptUsPerChange()) + " µs)",
                    cpus(s.centralCpus()) + " (" + Report.num(s.centralCpuUsPerChange()) + " µs; "
                            + Report.num(s.centralUsPerChangeAboveIdle()) + " µs above idle)",
                    cpus(s.replicatorCpus()) + " (" + Report.num(s.replicatorCpuUsPerChange()) + " µs; "
                            + Report.num(s.replicatorUsPerChangeAboveIdle()) + " µs above idle)",
                    Report.num(s.lagMeanMs()) + " / " + Report.num(s.lagP50Ms()) + " / " + Report.num(s.lagP99Ms())
                            + " / " + Report.num(s.lagMaxMs()) + " ms",
                    Report.num(s.behindP50Ms()) + " / " + Report.num(s.behindP99Ms()) + " / " + Report.num(s.behindMaxMs())
                            + " ms"));
            machine.add(List.of(String.valueOf(s.regions()),
                    cpus(s.gatewaysCpus()) + " (" + cpus(s.gatewayIdleCpusEach()) + " each idle)",
                    Report.num(s.gatewayCpuUsPerHeartbeat()) + " µs (" + Report.num(s.gatewayUsPerHeartbeatAboveIdle())
                            + " µs above idle)",
                    cpus(s.regionalsCpus()) + " (" + Report.num(s.regionalCpuUsPerHeartbeat()) + " µs; scripts "
                            + Report.num(s.regionalScriptUsPerHeartbeat()) + " µs in " + Report.num(s.regionalScriptCallsPerHeartbeat())
                            + " calls)",
                    cpus(s.benchCpus()), cpus(s.brokerCpus()),
                    String.format(Locale.ROOT, "%.2f of %d", s.machineBusyCpus(), Regions.cpus()),
                    cpus(s.otherCpus()), cpus(s.machineStolenCpus()),
                    String.format("%,.0f MB", s.gatewaysRssMb()),
                    String.format("%.0f s", s.registerSeconds()), s.heartbeatsFailed() + " / " + s.reRegistrations(),
                    String.valueOf(m.leftover())));
            wire.add(List.of(String.valueOf(s.regions()),
                    String.format("%.0f B / %.0f B", s.heartbeatRequestBytesPerNode(), s.heartbeatAnswerBytesPerNode()),
                    Report.num(s.nodesPerRequest()) + String.format(" (%.1f %% answered 503)", 100 * s.firstRegionBusyShare()),
                    String.format("%,.0f B (%,d messages)", s.changeBytesPerMessage(), s.tapMessages()),
                    String.format("%.0f B", s.changeBytesPerEntity()),
                    Report.num(s.changesPerSecond() / s.messagesPerSecond())));
        }
        String window = String.format("%d s window after registration and %d s of settling", plan.window().toSeconds(),
                plan.settle().toSeconds());
        run.report().table(new Table("Many regions on one central: central and the replicator", List.of("regions",
                        "nodes", "heartbeats/s", "changes/s (messages/s)", "central used_memory per node",
                        "central commands/s (per change; script time per change)", "central CPU (per change)", "replicator CPU (per change)",
                        "lag mean / p50 / p99 / max", "central behind p50 / p99 / max"), central,
                List.of(String.format("per region: one gateway JVM (-Xmx%s), one redis-server, %,d simulated nodes in agents "
                                + "of 1–8 GPUs beating every 5 s (the production interval and 15 s TTL); one central, one "
                                + "replicator for every region; %s", plan.gatewayHeap(), plan.nodesPerRegion(), window),
                        "changes: entity states the replicator applied (or found already applied); commands: "
                                + "total_commands_processed, the calls inside scripts included; CPU in CPUs (1.00 = one core "
                                + "all the window), per change = CPU time over changes; above idle: less the process's "
                                + "CPU rate in the 15 s idle spell before the fleet started",
                        "central used_memory per node: from before the fleet started to the window's end, over every node",
                        "script time: INFO commandstats, evalsha usec (the time scripts held Redis, their inner calls "
                                + "included; not the I/O around them)",
                        "lag: the replicator's, from a message's oldest change to central having it; mean over the window "
                                + "(timer sum / count), p50 / p99 / max of the worst region over the timer's last 1–2 min",
                        "central behind: each gateway's centralBehindMs (its newest change vs the newest version central "
                                + "applied), read once a second over the window")), run.out());
        run.report().table(new Table("Many regions on one central: the machine", List.of("regions",
                        "gateways CPU (each, idle)", "gateway CPU per heartbeat", "regional Redis CPU (per heartbeat; script time and calls per heartbeat)",
                        "fleet + bench CPU", "broker CPU (shared)", "machine busy CPUs", "not ours", "stolen",
                        "gateways RSS", "fleet registered in", "heartbeats failed / re-registrations (window)",
                        "processes left after teardown"), machine,
                List.of("machine: /proc/stat over the window, every process; not ours: machine busy minus every process "
                                + "this run started and the broker (other work on the machine)",
                        "idle: 15 s, starting 15 s after every gateway answered /health, before the fleet started",
                        "fleet registered in: from the fleet's start (agents start at random within 30 s) to every node "
                                + "registered; the gateways are cold JVMs then",
                        "fleet + bench: this JVM, which runs the simulated agents (JDK HTTP client), the relay in front of "
                                + "r01 and the readings")), run.out());
        run.report().table(new Table("Many regions on one central: on the wire", List.of("regions",
                        "heartbeat request / answer bytes per node", "nodes per heartbeat request (r01's answered 503 busy)",
                        "change-log message body", "change-log bytes per entity", "entities per message"), wire,
                List.of("heartbeats: bytes relayed to and from r01's gateway over the window (request line, headers, "
                                + "body) over r01's node heartbeats answered; agents of several GPUs send one batch a round",
                        "change log: a queue of the run's own bound to the change exchange for "
                                + "10 s after the window; bodies only (AMQP framing and headers not counted)")), run.out());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("plan", Regions.planMap(plan));
        figures.put("steps", measured.stream().map(m -> Map.of("figures", m.step(), "leftoverProcesses", m.leftover())).toList());
        run.report().figures("regions", figures);
    }

    private static String cpus(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }
}

package dev.gridstate.bench;

import dev.gridstate.testkit.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The benchmark command: starts the real topology (redis-server processes, the gateway and the
 * replicator as their own JVMs, the machine's RabbitMQ) for each measurement, runs it, prints a
 * Markdown table per measurement and the targets, and writes the same figures as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the gateway beside raw Redis and Redis Sentinel; prints tables, writes JSON.")
public final class Bench implements Callable<Integer> {

    static final Map<String, Consumer<Run>> MEASUREMENTS = new LinkedHashMap<>();

    static {
        MEASUREMENTS.put("throughput", GatewayVsRedis::run);
        MEASUREMENTS.put("scale", Scale::run);
        MEASUREMENTS.put("failover", Failover::run);
        MEASUREMENTS.put("replication", Replication::run);
        MEASUREMENTS.put("jobs", Jobs::run);
        MEASUREMENTS.put("regions", Regions::run);
    }

    /** Run only when named: many topologies one after the other, 10–20 minutes. */
    static final List<String> ON_REQUEST = List.of("regions");

    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "Measurements to run: throughput (gateway vs redis-benchmark, then latency at fixed rates), "
                    + "scale, failover, replication, jobs; and regions (many regions on one central), only when named. "
                    + "Default: all but regions, in that order.")
    List<String> only = new ArrayList<>();

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "DURATION", description = "How long each measured phase runs (default: 15s).")
    Duration duration = Duration.ofSeconds(15);

    @Option(names = "--warmup", converter = DurationConverter.class, paramLabel = "DURATION", description = "Warm-up before each phase, not recorded (default: 3s).")
    Duration warmup = Duration.ofSeconds(3);

    @Option(names = "--connections", description = "HTTP connections of the load generator (default: ${DEFAULT-VALUE}).")
    int connections = 32;

    @Option(names = "--nodes", description = "Nodes registered for throughput, latency and replication (default: ${DEFAULT-VALUE}).")
    int nodes = 10_000;

    @Option(names = "--scale-nodes", description = "Nodes registered for the scale measurement (default: ${DEFAULT-VALUE}).")
    int scaleNodes = 100_000;

    @Option(names = "--rates", split = ",", description = "Fixed rates, requests/s, for the latency table (default: ${DEFAULT-VALUE}).")
    List<Integer> rates = new ArrayList<>(List.of(2_000, 5_000, 10_000));

    @Option(names = "--sentinel-default", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure Sentinel with its default down-after-milliseconds (30 s; adds about a minute). Default: on.")
    boolean sentinelDefault = true;

    @Option(names = "--regions", split = ",", paramLabel = "N",
            description = "Region counts for the regions measurement, each a topology of its own (default: 1,2,5,10).")
    List<Integer> regionCounts = new ArrayList<>(List.of(1, 2, 5, 10));

    @Option(names = "--region-nodes", description = "Simulated nodes per region in the regions measurement (default: ${DEFAULT-VALUE}).")
    int regionNodes = 200;

    @Option(names = "--regions-settle", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Regions measurement: wait after every node registered, before the window (default: 60s).")
    Duration regionsSettle = Duration.ofSeconds(60);

    @Option(names = "--regions-window", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Regions measurement: the measured window (default: 60s).")
    Duration regionsWindow = Duration.ofSeconds(60);

    @Option(names = "--regions-gateway-heap", paramLabel = "SIZE",
            description = "Regions measurement: each gateway's -Xmx (default: ${DEFAULT-VALUE}).")
    String regionsGatewayHeap = "256m";

    @Option(names = "--out", description = "Directory for results.json and the processes' logs (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target/bench");

    @Option(names = "--gateway", description = "The gateway jar (default: ${DEFAULT-VALUE}).")
    Path gatewayJar = Path.of("gateway/target/gateway.jar");

    @Option(names = "--replicator", description = "The replicator jar (default: ${DEFAULT-VALUE}).")
    Path replicatorJar = Path.of("replication/target/replicator.jar");

    @Option(names = "--gateway-env", paramLabel = "NAME=VALUE",
            description = "A setting of every gateway, as an environment variable (repeatable), e.g. GATEWAY_REPLICATION_PAGE_SIZE=50.")
    Map<String, String> gatewayEnv = new LinkedHashMap<>();

    @Option(names = "--jvm-arg", description = "A JVM option for the gateway and replicator processes (repeatable).")
    List<String> jvmArgs = new ArrayList<>();

    /** {@code 15s}, {@code 500ms}, {@code 1m} or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = only.isEmpty()
                ? MEASUREMENTS.keySet().stream().filter(name -> !ON_REQUEST.contains(name)).toList() : only;
        Regions.Plan regions;
        try {
            regions = new Regions.Plan(regionCounts, regionNodes, regionsSettle, regionsWindow, regionsGatewayHeap);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        for (String name : chosen) {
            if (!MEASUREMENTS.containsKey(name)) {
                System.err.println("error: no measurement named '" + name + "'; there are " + MEASUREMENTS.keySet());
                return 2;
            }
        }
        PrintStream stdout = System.out;
        Report report = new Report();
        Path logs = Files.createDirectories(out.resolve("logs"));
        report.meta("startedAt", Instant.now().toString());
        report.meta("machine", machine());
        report.meta("command", ProcessHandle.current().info().commandLine().orElse("bench"));
        report.meta("measurements", chosen);
        report.meta("duration", duration.toString());
        report.meta("warmup", warmup.toString());
        report.meta("connections", connections);
        report.meta("gatewayEnv", gatewayEnv);
        report.meta("jvmArgs", jvmArgs);
        Run run = new Run(new Topology.Settings(gatewayJar, replicatorJar, logs, 1, List.copyOf(jvmArgs), Map.copyOf(gatewayEnv)),
                stdout, report, warmup, duration, connections, nodes, scaleNodes, List.copyOf(rates), sentinelDefault, regions);
        run.say("bench on %s; results to %s", machine(), out.toAbsolutePath());
        for (String name : chosen) {
            run.say("== %s", name);
            long start = System.nanoTime();
            try {
                MEASUREMENTS.get(name).accept(run);
            } catch (RuntimeException e) {
                run.say("%s failed: %s (logs in %s)", name, e, logs.toAbsolutePath());
                report.failed(name, e);
            }
            run.say("== %s took %.0f s", name, (System.nanoTime() - start) / 1e9);
        }
        report.meta("endedAt", Instant.now().toString());
        report.printTargets(stdout);
        Path json = out.resolve("results.json");
        report.writeJson(json);
        run.say("figures written to %s", json.toAbsolutePath());
        return report.failures().isEmpty() ? 0 : 1;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception e) {
            // keep "unknown CPU"
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format("%d cores (%s), %d GiB, Java %s, %s", Runtime.getRuntime().availableProcessors(), cpu,
                memory >> 30, Runtime.version(), redisVersion());
    }

    private static String redisVersion() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            int at = v.indexOf("v=");
            return "Redis " + (at < 0 ? v : v.substring(at + 2, v.indexOf(' ', at)));
        } catch (Exception e) {
            return "Redis (version unknown)";
        }
    }
}

package dev.gridstate.chaos;

import dev.gridstate.chaos.report.DrillReport;
import dev.gridstate.chaos.report.Figure;
import dev.gridstate.chaos.report.ReportWriter;
import dev.gridstate.chaos.report.ScenarioResult;
import dev.gridstate.testkit.Deployment;
import dev.gridstate.testkit.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code java -jar chaos-tests/target/drill.jar}: runs the chaos scenarios, one or all, against a
 * running deployment, and writes a report (HTML and JSON) with a timeline and a verdict per
 * scenario. Exit status 0 when every scenario passed, 1 when one did not, 2 on bad options.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs chaos scenarios against a running deployment and writes a report (HTML and JSON).",
                "The deployment file names its gateways, its Toxiproxy, its Redis and its control API; "
                        + "infra/local/run.sh writes one to .local/deployment.json."})
public final class Drill implements Callable<Integer> {

    @Option(names = "--deployment", paramLabel = "FILE",
            description = "The deployment to drill (JSON; see chaos-tests/README.md). Required but with --list.")
    Path deploymentFile;

    @Option(names = "--scenario", paramLabel = "ID", description = "A scenario to run; repeat for more (default: all, in order). --list shows them.")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--region", description = "The region the faults are put on (default: the first with the most gateway replicas).")
    String region;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Where report.html, report.json and a timeline per scenario (<id>.svg) go (default ${DEFAULT-VALUE}).")
    Path reportDir = Path.of("drill-report");

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "5s", converter = Drill.DurationConverter.class,
            description = "The gateways' heartbeat interval, for the nodes-back limit (default ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--slow-latency", paramLabel = "DURATION", defaultValue = "40ms", converter = Drill.DurationConverter.class,
            description = "The latency the slow scenario adds: above the gateways' regional slow-call threshold, below their "
                    + "regional timeout (default ${DEFAULT-VALUE}, for the defaults 25ms and 50ms).")
    Duration slowLatency;

    @Option(names = "--reads-per-second", description = "Node queries a second while a scenario runs (default ${DEFAULT-VALUE}).")
    int readsPerSecond = 40;

    @Option(names = "--jobs-per-second", description = "Job submissions a second while a scenario runs (default ${DEFAULT-VALUE}).")
    int jobsPerSecond = 4;

    @Option(names = "--list", description = "Lists the scenarios and exits.")
    boolean list;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Drill()).execute(args));
    }

    /** Reads {@link #duration} for picocli. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }

    /** {@code 5s}, {@code 500ms}, {@code 1m}, or ISO-8601 ({@code PT5S}). */
    static Duration duration(String value) {
        return Durations.parse(value);
    }

    @Override
    public Integer call() throws IOException {
        List<Scenario> all = Scenario.all(slowLatency);
        if (list) {
            all.forEach(s -> System.out.printf("%-24s %s%n", s.id(), s.title()));
            return 0;
        }
        CommandLine cli = spec.commandLine();
        if (readsPerSecond < 1 || readsPerSecond > 1000 || jobsPerSecond < 0 || jobsPerSecond > 100) {
            throw new CommandLine.ParameterException(cli, "--reads-per-second must be 1..1000 and --jobs-per-second 0..100");
        }
        if (deploymentFile == null) {
            throw new CommandLine.ParameterException(cli, "--deployment FILE is required (infra/local/run.sh writes .local/deployment.json)");
        }
        if (!Files.isRegularFile(deploymentFile)) {
            throw new CommandLine.ParameterException(cli, deploymentFile + " is not a file (infra/local/run.sh writes .local/deployment.json)");
        }
        Deployment deployment;
        try {
            deployment = Deployment.read(deploymentFile);
        } catch (UncheckedIOException e) {
            throw new CommandLine.ParameterException(cli, deploymentFile + " is not a deployment file: "
                    + e.getCause().getMessage().lines().findFirst().orElse(""));
        }
        if (deployment.regions() == null || deployment.regions().isEmpty() || deployment.toxiproxy() == null
                || deployment.centralRedis() == null || deployment.models() == null || deployment.models().isEmpty()) {
            throw new CommandLine.ParameterException(cli, deploymentFile
                    + " lacks toxiproxy, centralRedis, models or regions (chaos-tests/README.md shows the format)");
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String id : scenarios) {
            chosen.add(all.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() ->
                    new CommandLine.ParameterException(cli, "no scenario " + id + "; --list shows them")));
        }
        if (chosen.isEmpty()) {
            chosen.addAll(all);
        }
        Deployment.Region target;
        try {
            target = region != null ? deployment.region(region) : deployment.regions().stream()
                    .max((a, b) -> Integer.compare(a.gateways().size(), b.gateways().size())).orElseThrow();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        String startedAt = Instant.now().toString();
        DrillRunner runner = new DrillRunner(deployment, heartbeatInterval, readsPerSecond, jobsPerSecond);
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : chosen) {
            System.out.printf("%s: %s …%n", scenario.id(), scenario.title());
            ScenarioResult result = runner.run(scenario, target);
            results.add(result);
            print(result);
        }
        DrillReport report = new DrillReport(startedAt, "region " + target.name() + " at " + target.gateways().get(0), results);
        write(report, reportDir);
        System.out.printf("%nDrill %s: %d of %d scenarios passed. Report: %s%n", report.passed() ? "PASSED" : "FAILED",
                results.stream().filter(ScenarioResult::passed).count(), results.size(),
                reportDir.resolve("report.html").toAbsolutePath());
        return report.passed() ? 0 : 1;
    }

    /** report.html, report.json, and each scenario's timeline as {@code <id>.svg}, into {@code dir}. */
    static void write(DrillReport report, Path dir) throws IOException {
        ReportWriter.writeHtml(report, dir.resolve("report.html"));
        ReportWriter.writeJson(report, dir.resolve("report.json"));
        for (ScenarioResult scenario : report.scenarios()) {
            ReportWriter.writeSvg(scenario, dir.resolve(scenario.id() + ".svg"));
        }
    }

    private static void print(ScenarioResult result) {
        System.out.printf("  %s%s%n", result.passed() ? "PASS" : "FAIL", result.error() == null ? "" : ": " + result.error());
        for (Figure f : result.figures()) {
            System.out.printf("    %s %-55s %s (limit %s)%n", f.passed() ? "ok  " : "FAIL", f.name(), f.measured(), f.limit());
        }
    }
}

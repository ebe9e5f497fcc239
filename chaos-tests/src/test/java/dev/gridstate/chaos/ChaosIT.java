package dev.gridstate.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gridstate.agent.Assignment;
import dev.gridstate.chaos.report.DrillReport;
import dev.gridstate.chaos.report.Figure;
import dev.gridstate.chaos.report.ScenarioResult;
import dev.gridstate.local.LocalDeployment;
import dev.gridstate.testkit.Deployment;
import dev.gridstate.testkit.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite: every scenario of the drill, against the README's local topology with two
 * gateway replicas per region, all links through Toxiproxy. Each must pass on its figures. The
 * report of the run goes to {@code target/drill-report/}.
 *
 * <p>Two system properties serve a developer: {@code chaos.scenarios} (ids, comma-separated)
 * runs only those, and {@code chaos.gateway-env} ({@code NAME=value,…}) starts the gateways with
 * settings changed, e.g. to see a figure fail when what it guards is turned off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    private static final int NODES = 30;
    private static final int REPLICAS = 2;
    /** Above the relaxed slow-call threshold below (100 ms), under the relaxed timeout (250 ms). */
    private static final Duration SLOW = Duration.ofMillis(160);

    private final List<ScenarioResult> results = new ArrayList<>();
    private final String startedAt = Instant.now().toString();
    private LocalDeployment local;
    private DrillRunner runner;
    private Deployment.Region region;

    @BeforeAll
    void start() {
        int first = Ports.freeRange(2 * REPLICAS + 1);
        local = LocalDeployment.start(new LocalDeployment.Options().port(first).replicas(REPLICAS).nodes(NODES)
                .replicatorPort(first + 2 * REPLICAS).toxiproxyPort(0).controlPort(0)
                .gatewayJar(Path.of("../gateway/target/gateway.jar"))
                .replicatorJar(Path.of("../replication/target/replicator.jar"))
                .workDir(Path.of("target", "chaos")).work(ChaosIT::work).gatewayEnv(gatewayEnv()));
        Deployment deployment = local.deployment();
        region = deployment.regions().get(0);
        runner = new DrillRunner(deployment, Duration.ofSeconds(5), 40, 4);
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (!results.isEmpty()) {
                DrillReport report = new DrillReport(startedAt, "ChaosIT: the local topology", results);
                Drill.write(report, Path.of("target", "drill-report"));
            }
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    static List<String> scenarios() {
        List<String> only = List.of(System.getProperty("chaos.scenarios", "").split(",")).stream()
                .map(String::trim).filter(id -> !id.isEmpty()).toList();
        return Scenario.all().stream().map(Scenario::id).filter(id -> only.isEmpty() || only.contains(id)).toList();
    }

    private static Map<String, String> gatewayEnv() {
        // Four gateways, the fleet, the load and the proxies share two cores here: a stall of tens
        // of ms is the machine, not a slow Redis (the gateway ITs relax the same settings). The
        // slow scenario's latency sits between the two.
        Map<String, String> env = new HashMap<>(Map.of("GATEWAY_STORE_REGIONAL_SLOW_CALL", "100ms",
                "GATEWAY_STORE_REGIONAL_TIMEOUT", "250ms"));
        for (String setting : System.getProperty("chaos.gateway-env", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) {
                env.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        }
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @Order(1)
    void shouldPassItsFigures(String id) {
        Scenario scenario = Scenario.all(SLOW).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        ScenarioResult result = runner.run(scenario, region);
        results.add(result);
        assertThat(result.error()).as(id + " ran to its end").isNull();
        assertThat(result.figures()).as(id + " figures").isNotEmpty();
        assertThat(result.figures()).as(id + ": " + describe(result)).allMatch(Figure::passed);
    }

    @Test
    @Order(2)
    @DisplayName("the packaged drill command, as an operator runs it against the local topology's deployment file, passes a scenario and writes its report")
    void shouldRunThePackagedDrill() throws Exception {
        Path file = Path.of("target", "chaos", "deployment.json");
        local.deployment().write(file);
        Path reportDir = Path.of("target", "drill-jar-report");
        Process drill = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", "target/drill.jar",
                "--deployment", file.toString(), "--scenario", "regional-redis-flushed", "--report", reportDir.toString(),
                "--slow-latency", SLOW.toMillis() + "ms")
                .redirectErrorStream(true).redirectOutput(Path.of("target", "drill-jar.log").toFile()).start();
        boolean ended = drill.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            drill.destroyForcibly();
        }
        String output = Files.readString(Path.of("target", "drill-jar.log"));
        assertThat(ended).as(output).isTrue();
        assertThat(drill.exitValue()).as(output).isZero();
        assertThat(output).contains("Drill PASSED: 1 of 1 scenarios passed");
        assertThat(Files.readString(reportDir.resolve("report.html"))).contains("regional-redis-flushed");
        assertThat(reportDir.resolve("report.json")).exists();
        assertThat(reportDir.resolve("regional-redis-flushed.svg")).exists();
    }

    private static String describe(ScenarioResult result) {
        return result.figures().stream().map(f -> (f.passed() ? "ok " : "FAIL ") + f.name() + ": " + f.measured()
                + " (limit " + f.limit() + ")").collect(Collectors.joining("; "));
    }

    /** A short pretend inference: 20 to 200 ms. */
    private static JsonNode work(Assignment job) throws InterruptedException {
        Thread.sleep(20 + ThreadLocalRandom.current().nextInt(180));
        return JsonNodeFactory.instance.objectNode().put("node", job.nodeId());
    }
}

package dev.gridstate.chaos;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DrillTest {

    @Test
    @DisplayName("durations are read as operators write them: 5s, 500ms, 1m, or ISO-8601")
    void shouldReadDurations() {
        assertThat(Drill.duration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Drill.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Drill.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Drill.duration("PT2S")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("the seven scenarios of issue 7, each with its own id, each judged on jobs and on central")
    void shouldHaveTheSevenScenarios() {
        assertThat(Scenario.all()).extracting(Scenario::id).doesNotHaveDuplicates().containsExactly(
                "regional-redis-killed", "regional-redis-slow", "regional-redis-flushed", "central-redis-killed",
                "rabbitmq-cut", "gateway-killed", "central-partition");
        assertThat(Scenario.all()).allSatisfy(s -> assertThat(s.checks())
                .contains(Scenario.Check.JOBS_LOST, Scenario.Check.JOBS_TWICE, Scenario.Check.CENTRAL_EQUAL));
    }

    @Test
    @DisplayName("a deployment file that is not one is refused with exit status 2 and a one-line reason, before anything runs")
    void shouldRefuseABadDeploymentFile() throws Exception {
        Path bad = Files.createTempFile("deployment", ".json");
        Files.writeString(bad, "{\"regions\":[]}");
        StringWriter err = new StringWriter();
        int status = new CommandLine(new Drill()).setErr(new PrintWriter(err)).execute("--deployment", bad.toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("lacks toxiproxy, centralRedis, models or regions");
        Files.delete(bad);
    }
}

package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One job through the whole path, with a node played by plain HTTP calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobFlowIT {

    private static final String MODEL = "flow-model";

    private TestRegion region;
    private Http http;

    @BeforeAll
    void start() {
        TestGateway.jobQueues(TestRegion.NAME, MODEL);
        region = TestRegion.start(1, Map.of("gateway.jobs.lease", "2s"));
        http = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("a job is accepted, assigned to the node that polls, and succeeds once its result is reported")
    void shouldRunOneJob() {
        assertThat(http.put("/v1/nodes/f1", Nodes.spec(MODEL, "v1", 81920, 40000, "gold")).status()).isEqualTo(201);
        Http.Answer accepted = http.post("/v1/jobs", "{\"model\":\"" + MODEL + "\",\"payload\":{\"prompt\":\"hi\"}}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String jobId = accepted.json().get("jobId").asText();

        Http node = http.withBearer(Http.token("f1"));
        // the node's heartbeat answers announce the waiting job, and stop once it took it
        await("the heartbeat announces the assignment").atMost(Duration.ofSeconds(5))
                .until(() -> announcesWork(node.post("/v1/nodes/f1/heartbeat", "{\"state\":\"idle\"}")));
        Http.Answer polled = node.get("/v1/nodes/f1/assignments?waitMs=5000");
        assertThat(polled.status()).as(polled.body()).isEqualTo(200);
        JsonNode assignment = polled.json().get(0);
        assertThat(assignment.get("jobId").asText()).isEqualTo(jobId);
        assertThat(assignment.get("payload").get("prompt").asText()).isEqualTo("hi");
        assertThat(assignment.get("attempt").asInt()).isEqualTo(1);
        assertThat(http.get("/v1/jobs/" + jobId).json().get("state").asText()).isEqualTo("assigned");
        assertThat(announcesWork(node.post("/v1/nodes/f1/heartbeat", "{\"state\":\"idle\"}"))).isFalse();

        Http.Answer reported = node.post("/v1/jobs/" + jobId + "/result",
                "{\"nodeId\":\"f1\",\"attempt\":1,\"output\":{\"text\":\"hello\"}}");
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        assertThat(reported.json().get("duplicate").asBoolean()).isFalse();

        JsonNode status = http.get("/v1/jobs/" + jobId).json();
        assertThat(status.get("state").asText()).isEqualTo("succeeded");
        assertThat(status.get("output").get("text").asText()).isEqualTo("hello");
        JobDispatcher dispatcher = region.gateway(0).context().getBean(JobDispatcher.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.held() == 0);
        // acknowledged only once the final status was on central: no Redis loss forgets it
        assertThat(region.central().commands().hget(TestRegion.KEYS + "job:" + jobId, "state")).isEqualTo("succeeded");
    }

    private static boolean announcesWork(Http.Answer heartbeat) {
        assertThat(heartbeat.status()).as(heartbeat.body()).isEqualTo(200);
        for (JsonNode directive : heartbeat.json().path("directives")) {
            if (directive.path("type").asText().equals("assignments")) {
                return true;
            }
        }
        return false;
    }
}

package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestRegion;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client side of jobs in tests: submit, read a status, and wait until no replica holds a job's message. */
final class Jobs {

    private Jobs() {
    }

    /** A job body: {@code fields} is the rest of the JSON object after model and payload, or empty. */
    static String body(String model, String payloadJson, String fields) {
        return "{\"model\":\"" + model + "\",\"payload\":" + payloadJson + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    /** Submits and expects 202; returns the job id. */
    static String submit(Http http, String body) {
        Http.Answer accepted = http.post("/v1/jobs", body);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return accepted.json().get("jobId").asText();
    }

    static JsonNode status(Http http, String jobId) {
        Http.Answer answer = http.get("/v1/jobs/" + jobId);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static List<String> nodes(JsonNode status) {
        JsonNode nodes = status.path("nodes");
        return IntStream.range(0, nodes.size()).mapToObj(i -> nodes.get(i).asText()).toList();
    }

    /** Every job message was acknowledged or dead-lettered: the replicas hold none. */
    static void awaitNothingHeld(TestRegion region, int replicas) {
        for (int i = 0; i < replicas; i++) {
            JobDispatcher dispatcher = region.gateway(i).context().getBean(JobDispatcher.class);
            await("replica " + i + " holds no job message").atMost(Duration.ofSeconds(10)).until(() -> dispatcher.held() == 0);
        }
    }
}

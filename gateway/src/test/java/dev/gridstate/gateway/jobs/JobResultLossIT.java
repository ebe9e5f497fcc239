package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A result the gateway answered 200 for is the job's end even if the regional Redis is lost the
 * moment after: a node that got its answer does not report again, so the answer waits until the
 * result is on central.
 */
class JobResultLossIT {

    private static final String MODEL = "result-loss";
    private static final long LEASE_MS = 2_000;

    private TestRegion region;

    @AfterEach
    void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    @DisplayName("the regional Redis killed right after a result was answered: the job stays succeeded, with its output, and runs no more")
    void shouldKeepAnAnsweredResultWhenTheRegionalRedisIsLost() {
        TestGateway.jobQueues(TestRegion.NAME, MODEL);
        // Nothing exported in the background: only what the answer waited for is on central.
        region = TestRegion.start(1, Map.of("gateway.jobs.lease", LEASE_MS + "ms",
                "gateway.replication.flush-interval", "10m", "gateway.replication.heartbeat-window", "10m"));
        Http http = region.http();
        assertThat(http.put("/v1/nodes/r1", Nodes.spec(MODEL, "v1", 81920, 40000, "gold")).status()).isEqualTo(201);
        String jobId = Jobs.submit(http, Jobs.body(MODEL, "{\"n\":1}", "\"maxAttempts\":3"));
        Http node = http.withBearer(Http.token("r1"));
        Http.Answer polled = node.get("/v1/nodes/r1/assignments?waitMs=5000");
        assertThat(polled.status()).as(polled.body()).isEqualTo(200);
        assertThat(polled.json().get(0).get("jobId").asText()).isEqualTo(jobId);

        // The holder of the job's message sends its end to central too, once it sees it: held back
        // here, so what is on central at the answer is the answer's own doing.
        JobDispatcher holder = region.gateway(0).context().getBean(JobDispatcher.class);
        CountDownLatch release = new CountDownLatch(1);
        holder.holdUntil(release);
        Http.Answer reported = node.post("/v1/jobs/" + jobId + "/result",
                "{\"nodeId\":\"r1\",\"attempt\":1,\"output\":{\"text\":\"kept\"}}");
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        assertThat(region.central().commands().hget(TestRegion.KEYS + "job:" + jobId, "state"))
                .as("the job's end on central when the result was answered").isEqualTo("succeeded");
        region.regional().kill();
        release.countDown();

        await("the replica serves from central").atMost(Duration.ofSeconds(5))
                .until(() -> "central".equals(http.get("/v1/jobs/" + jobId).raw().headers()
                        .firstValue("X-State-Source").orElse("")));
        // Past the lease, twice over: an attempt thought to be running would have ended and gone round again.
        await("the job stays succeeded").atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(2 * LEASE_MS))
                .until(() -> http.get("/v1/jobs/" + jobId).json().path("state").asText().equals("succeeded"));
        JsonNode status = http.get("/v1/jobs/" + jobId).json();
        assertThat(status.path("attempt").asInt()).isEqualTo(1);
        assertThat(status.path("output").path("text").asText()).isEqualTo("kept");
        Jobs.awaitNothingHeld(region, 1);
    }
}

package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica told to stop (SIGTERM closes its context) drains: it takes no new job, and sees the
 * attempt running on a node through to its result before it exits.
 */
class GracefulShutdownIT {

    private static final String MODEL = "drain-model";

    private TestRegion region;

    @AfterEach
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("a stopping replica takes no new job and stays until the attempt it handed out has its result")
    void shouldStopConsumingAndSeeRunningAttemptsThrough() {
        TestGateway.jobQueues(TestRegion.NAME, MODEL);
        region = TestRegion.start(2, Map.of("gateway.jobs.lease", "30s"));
        PlayedNode first = PlayedNode.register(region.http(), "drain-1", MODEL, 40_000);
        String running = Jobs.submit(region.http(), Jobs.body(MODEL, "{\"n\":1}", ""));
        JsonNode assignment = first.awaitAssignment(Duration.ofSeconds(10));
        assertThat(assignment.path("jobId").asText()).isEqualTo(running);
        int holder = holderOfOneJob();
        TestGateway stopping = region.gateway(holder);
        TestGateway staying = region.gateway(1 - holder);

        JobDispatcher draining = dispatcher(holder);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
        PlayedNode second = PlayedNode.register(staying.http(), "drain-2", MODEL, 30_000);
        String next = Jobs.submit(staying.http(), Jobs.body(MODEL, "{\"n\":2}", ""));
        assertThat(second.awaitAssignment(Duration.ofSeconds(10)).path("jobId").asText()).isEqualTo(next);

        assertThat(closed).as("the stopping replica waits for the attempt it handed out").isNotDone();
        assertThat(draining.held()).as("it holds that attempt, and took nothing new").isEqualTo(1);
        assertThat(first.via(staying.http()).result(running, 1, "{\"ok\":true}").status()).isEqualTo(200);

        await("the stopping replica gone once its attempt has its result").atMost(Duration.ofSeconds(10))
                .until(closed::isDone);
        assertThat(closed).isCompleted();
        JsonNode status = Jobs.status(staying.http(), running);
        assertThat(status.path("state").asText()).isEqualTo("succeeded");
        assertThat(status.path("attempt").asInt()).as("not handed to anyone else").isEqualTo(1);
        // the staying replica's attempt done too, so its own close has nothing to wait for
        assertThat(second.result(next, 1, "{\"ok\":true}").status()).isEqualTo(200);
    }

    /** The replica whose dispatcher holds the one delivered job. */
    private int holderOfOneJob() {
        JobDispatcher[] dispatchers = {dispatcher(0), dispatcher(1)};
        await("one replica holds the job").atMost(Duration.ofSeconds(5))
                .until(() -> dispatchers[0].held() + dispatchers[1].held() == 1);
        return dispatchers[0].held() == 1 ? 0 : 1;
    }

    private JobDispatcher dispatcher(int replica) {
        return region.gateway(replica).context().getBean(JobDispatcher.class);
    }
}

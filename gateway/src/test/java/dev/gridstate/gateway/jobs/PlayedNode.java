package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node played by plain HTTP calls, as its agent would make them: it registers for one model,
 * long-polls for assignments and reports on them, always with its own node token.
 */
final class PlayedNode {

    /** Under the test client's 5 s request timeout. */
    static final long LONG_POLL_MS = 2_000;

    private final String id;
    private final Http http;

    private PlayedNode(String id, Http http) {
        this.id = id;
        this.http = http;
    }

    /** Registers the node (idle, serving {@code model}) through {@code via}; more free memory is claimed first. */
    static PlayedNode register(Http via, String id, String model, long freeMb) {
        Http.Answer registered = via.put("/v1/nodes/" + id, Nodes.spec(model, "v1", 81920, freeMb, "gold"));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        return new PlayedNode(id, via.withBearer(Http.token(id)));
    }

    String id() {
        return id;
    }

    /** The same node, calling another replica. */
    PlayedNode via(Http other) {
        return new PlayedNode(id, other.withBearer(Http.token(id)));
    }

    /** One long poll: the assignments it brought, an empty array when none came within {@code waitMs}. */
    JsonNode poll(long waitMs) {
        Http.Answer answer = http.get("/v1/nodes/" + id + "/assignments?waitMs=" + waitMs);
        assertThat(answer.status()).as("poll of %s: %s", id, answer.body()).isEqualTo(200);
        JsonNode assignments = answer.json();
        assertThat(assignments.isArray()).as(answer.body()).isTrue();
        return assignments;
    }

    /** Long-polls until assignments come, and expects exactly one. */
    JsonNode awaitAssignment(Duration atMost) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await("an assignment for node " + id).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    JsonNode got = poll(LONG_POLL_MS);
                    found.set(got);
                    return !got.isEmpty();
                });
        assertThat(found.get()).as("assignments node %s got in one poll", id).hasSize(1);
        return found.get().get(0);
    }

    Http.Answer result(String jobId, long attempt, String outputJson) {
        return http.post("/v1/jobs/" + jobId + "/result",
                "{\"nodeId\":\"%s\",\"attempt\":%d,\"output\":%s}".formatted(id, attempt, outputJson));
    }

    Http.Answer failure(String jobId, long attempt, String error) {
        return http.post("/v1/jobs/" + jobId + "/failure",
                "{\"nodeId\":\"%s\",\"attempt\":%d,\"error\":\"%s\"}".formatted(id, attempt, error));
    }

    Http.Answer renew(String jobId, long attempt) {
        return http.post("/v1/jobs/" + jobId + "/lease", "{\"nodeId\":\"%s\",\"attempt\":%d}".formatted(id, attempt));
    }
}

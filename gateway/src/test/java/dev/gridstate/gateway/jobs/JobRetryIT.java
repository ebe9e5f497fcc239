package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Refusals;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens to a job whose attempt does not end in a result: a reported failure, a node that
 * hangs, a node that keeps renewing, results that come late, a node that keeps failing, and
 * reports from nodes that may not make them. Two replicas; nodes are played by HTTP calls, one
 * polling each replica, and each test has its own model and nodes so nothing of another test
 * (a message still in flight) can reach them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRetryIT {

    private static final String FAILURE = "retry-failure";
    private static final String DEAD = "retry-dead";
    private static final String HUNG = "retry-hung";
    private static final String RENEW = "retry-renew";
    private static final String LATE = "retry-late";
    private static final String QUARANTINE = "retry-quarantine";
    private static final String AUTH = "retry-auth";
    private static final String AUTH_OTHER = "retry-auth-other";
    private static final long LEASE_MS = 2_000;
    /** Long enough for a lease to run out and the job to go round the broker once more. */
    private static final Duration ASSIGNED_WITHIN = Duration.ofSeconds(15);

    private TestRegion region;
    private Http first;
    private Http second;

    @BeforeAll
    void start() {
        TestGateway.jobQueues(TestRegion.NAME, FAILURE, DEAD, HUNG, RENEW, LATE, QUARANTINE, AUTH, AUTH_OTHER);
        region = TestRegion.start(2, Map.of(
                "gateway.registry.heartbeat-ttl", "60s",
                "gateway.jobs.lease", LEASE_MS + "ms",
                "gateway.jobs.quarantine-failures", 2,
                "gateway.jobs.quarantine-window", "1m",
                "gateway.jobs.quarantine-for", "10m"));
        first = region.gateway(0).http();
        second = region.gateway(1).http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void empty() {
        region.reset();
    }

    @Test
    @DisplayName("a reported failure sends the job to the other node as attempt 2, where it succeeds")
    void shouldRetryAFailedAttemptOnAnotherNode() {
        // The failing node has the most free memory: only the preference for fresh nodes sends attempt 2 elsewhere.
        PlayedNode a = PlayedNode.register(first, "failure-a", FAILURE, 60_000);
        PlayedNode b = PlayedNode.register(first, "failure-b", FAILURE, 30_000).via(second);
        String jobId = Jobs.submit(first, Jobs.body(FAILURE, "{\"n\":1}", "\"maxAttempts\":3"));
        assertAttempt(a.awaitAssignment(ASSIGNED_WITHIN), jobId, 1);

        Http.Answer failed = a.failure(jobId, 1, "CUDA out of memory");

        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        assertThat(failed.json().get("state").asText()).isEqualTo("failed");
        assertThat(failed.json().get("attempt").asLong()).isEqualTo(1);
        assertThat(failed.json().get("maxAttempts").asLong()).isEqualTo(3);
        assertThat(failed.json().get("willRetry").asBoolean()).isTrue();
        assertAttempt(b.awaitAssignment(ASSIGNED_WITHIN), jobId, 2);
        assertThat(a.poll(0)).as("assignments of the node that failed").isEmpty();
        assertThat(b.result(jobId, 2, "{\"text\":\"ok\"}").json().get("state").asText()).isEqualTo("succeeded");
        JsonNode status = Jobs.status(first, jobId);
        assertThat(status.get("state").asText()).isEqualTo("succeeded");
        assertThat(status.get("attempt").asLong()).isEqualTo(2);
        assertThat(status.get("node").asText()).isEqualTo("failure-b");
        assertThat(Jobs.nodes(status)).containsExactly("failure-a", "failure-b");
        assertThat(status.get("output").get("text").asText()).isEqualTo("ok");
        Jobs.awaitNothingHeld(region, 2);
    }

    @Test
    @DisplayName("a job whose every attempt failed is dead: its reason names the attempts, operators list it, and it is dead-lettered once")
    void shouldDeadLetterAJobOutOfAttempts() throws Exception {
        PlayedNode a = PlayedNode.register(first, "dead-a", DEAD, 60_000);
        PlayedNode b = PlayedNode.register(first, "dead-b", DEAD, 30_000).via(second);
        String jobId = Jobs.submit(first, Jobs.body(DEAD, "{\"n\":2}", "\"maxAttempts\":2"));
        assertAttempt(a.awaitAssignment(ASSIGNED_WITHIN), jobId, 1);
        assertThat(a.failure(jobId, 1, "bad weights").json().get("willRetry").asBoolean()).isTrue();
        // Which node runs attempt 2 is the retry test's concern; here it only has to fail.
        PlayedNode secondTry = awaitAttemptOn(jobId, 2).equals(a.id()) ? a : b;
        assertAttempt(secondTry.awaitAssignment(ASSIGNED_WITHIN), jobId, 2);

        Http.Answer lastFailure = secondTry.failure(jobId, 2, "bad weights again");

        assertThat(lastFailure.json().get("willRetry").asBoolean()).as(lastFailure.body()).isFalse();
        await("job " + jobId + " dead").atMost(Duration.ofSeconds(10))
                .until(() -> Jobs.status(first, jobId).get("state").asText().equals("dead"));
        JsonNode status = Jobs.status(second, jobId);
        assertThat(status.get("attempt").asLong()).isEqualTo(2);
        assertThat(status.get("reason").asText()).contains("2 of 2").contains("bad weights again");
        JsonNode listed = first.asAdmin().get("/v1/jobs?state=dead&limit=10").json().get("jobs");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("jobId").asText()).isEqualTo(jobId);
        assertThat(listed.get(0).get("state").asText()).isEqualTo("dead");
        assertThat(listed.get(0).get("reason").asText()).isEqualTo(status.get("reason").asText());
        Refusals.assertClearError(first.get("/v1/jobs?state=dead"), 401, "unauthorized", null);
        await("job " + jobId + " in the dead-letter queue").atMost(Duration.ofSeconds(10)).until(() -> DeadLetters.count(jobId) == 1);
        await("job " + jobId + " in the dead-letter queue, once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .pollInterval(Duration.ofMillis(500)).until(() -> DeadLetters.count(jobId) == 1);
        assertThat(a.poll(0)).isEmpty();
        assertThat(b.poll(0)).isEmpty();
        Jobs.awaitNothingHeld(region, 2);
    }

    @Test
    @DisplayName("a node that takes an assignment and then says nothing loses it when the lease runs out: attempt 2 goes to another node")
    void shouldTakeAJobFromAHungNode() {
        PlayedNode hung = PlayedNode.register(first, "hung-a", HUNG, 60_000);
        PlayedNode healthy = PlayedNode.register(first, "hung-b", HUNG, 30_000).via(second);
        String jobId = Jobs.submit(first, Jobs.body(HUNG, "{\"n\":3}", ""));
        JsonNode taken = hung.awaitAssignment(ASSIGNED_WITHIN);
        assertAttempt(taken, jobId, 1);
        assertThat(taken.get("leaseMs").asLong()).isEqualTo(LEASE_MS);

        JsonNode retried = healthy.awaitAssignment(ASSIGNED_WITHIN);

        long retriedAt = System.currentTimeMillis();
        assertAttempt(retried, jobId, 2);
        assertThat(retriedAt).as("when attempt 2 arrived, against attempt 1's lease end")
                .isGreaterThanOrEqualTo(taken.get("leaseExpiresAt").asLong());
        JsonNode status = Jobs.status(first, jobId);
        assertThat(status.get("state").asText()).isEqualTo("assigned");
        assertThat(status.get("node").asText()).isEqualTo("hung-b");
        assertThat(Jobs.nodes(status)).containsExactly("hung-a", "hung-b");
        assertThat(status.get("error").asText()).contains("lease expired").contains("hung-a");
        Refusals.assertClearError(hung.renew(jobId, 1), 409, "lease_lost", null);
        assertThat(healthy.result(jobId, 2, "{}").json().get("state").asText()).isEqualTo("succeeded");
        assertThat(hung.poll(0)).isEmpty();
        Jobs.awaitNothingHeld(region, 2);
    }

    @Test
    @DisplayName("a node that renews its lease keeps the job past three lease periods, then its result ends it")
    void shouldLetARenewingNodeKeepItsJob() {
        PlayedNode runner = PlayedNode.register(first, "renew-a", RENEW, 60_000);
        PlayedNode idle = PlayedNode.register(first, "renew-b", RENEW, 30_000).via(second);
        String jobId = Jobs.submit(first, Jobs.body(RENEW, "{\"n\":4}", ""));
        JsonNode taken = runner.awaitAssignment(ASSIGNED_WITHIN);
        assertAttempt(taken, jobId, 1);
        long leaseEnd = taken.get("leaseExpiresAt").asLong();
        long started = System.currentTimeMillis();

        while (System.currentTimeMillis() - started < 3 * LEASE_MS + 500) {
            assertThat(idle.poll(LEASE_MS / 4)).as("assignments of the other node while the lease is renewed").isEmpty();
            Http.Answer renewed = runner.renew(jobId, 1);
            assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
            assertThat(renewed.json().get("leaseExpiresAt").asLong()).isGreaterThanOrEqualTo(leaseEnd);
            leaseEnd = renewed.json().get("leaseExpiresAt").asLong();
        }

        assertThat(System.currentTimeMillis()).as("now, against the first lease's end").isGreaterThan(taken.get("leaseExpiresAt").asLong() + 2 * LEASE_MS);
        Http.Answer reported = runner.result(jobId, 1, "{\"text\":\"slow but done\"}");
        assertThat(reported.json().get("state").asText()).as(reported.body()).isEqualTo("succeeded");
        assertThat(reported.json().get("duplicate").asBoolean()).isFalse();
        JsonNode status = Jobs.status(second, jobId);
        assertThat(status.get("attempt").asLong()).isEqualTo(1);
        assertThat(Jobs.nodes(status)).containsExactly("renew-a");
        assertThat(status.get("output").get("text").asText()).isEqualTo("slow but done");
        assertThat(idle.poll(0)).isEmpty();
        Jobs.awaitNothingHeld(region, 2);
    }

    @Test
    @DisplayName("a result that comes after the job went elsewhere and succeeded is a duplicate: 200, counted, and the first output stands")
    void shouldRecordALateResultAsADuplicate() {
        PlayedNode slow = PlayedNode.register(first, "late-a", LATE, 30_000);
        String jobId = Jobs.submit(first, Jobs.body(LATE, "{\"n\":5}", ""));
        assertAttempt(slow.awaitAssignment(ASSIGNED_WITHIN), jobId, 1);
        // Registered only now, and with more free memory: attempt 2 is this node's whatever the preference for fresh nodes.
        PlayedNode fast = PlayedNode.register(first, "late-b", LATE, 60_000).via(second);
        assertAttempt(fast.awaitAssignment(ASSIGNED_WITHIN), jobId, 2);
        Http.Answer won = fast.result(jobId, 2, "{\"by\":\"late-b\"}");
        assertThat(won.json().get("duplicate").asBoolean()).as(won.body()).isFalse();

        Http.Answer late = slow.result(jobId, 1, "{\"by\":\"late-a\"}");

        assertThat(late.status()).as(late.body()).isEqualTo(200);
        assertThat(late.json().get("duplicate").asBoolean()).isTrue();
        assertThat(late.json().get("state").asText()).isEqualTo("succeeded");
        JsonNode status = Jobs.status(first, jobId);
        assertThat(status.get("state").asText()).isEqualTo("succeeded");
        assertThat(status.get("output").get("by").asText()).isEqualTo("late-b");
        assertThat(status.get("duplicates").asLong()).isEqualTo(1);
        assertThat(status.get("attempt").asLong()).isEqualTo(2);
        Jobs.awaitNothingHeld(region, 2);
    }

    @Test
    @DisplayName("a node that fails two jobs within the window is quarantined: admins see the flag, it is told, and a healthy node gets the work")
    void shouldQuarantineANodeThatKeepsFailing() {
        PlayedNode failing = PlayedNode.register(first, "quarantine-q", QUARANTINE, 60_000);
        String retried = Jobs.submit(first, Jobs.body(QUARANTINE, "{\"n\":6}", "\"maxAttempts\":3"));
        assertAttempt(failing.awaitAssignment(ASSIGNED_WITHIN), retried, 1);
        assertThat(failing.failure(retried, 1, "segfault").status()).isEqualTo(200);
        assertAttempt(failing.awaitAssignment(ASSIGNED_WITHIN), retried, 2);

        assertThat(failing.failure(retried, 2, "segfault").status()).isEqualTo(200);

        JsonNode admin = first.asAdmin().get("/v1/admin/nodes/quarantine-q").json();
        assertThat(admin.get("flags").has("quarantine")).as(admin.toString()).isTrue();
        assertThat(admin.get("flags").get("quarantine").get("until").asLong())
                .as("the quarantine's end, 10 min on").isGreaterThan(System.currentTimeMillis() + Duration.ofMinutes(9).toMillis());
        assertThat(admin.get("routable").asBoolean()).isFalse();
        JsonNode directives = first.post("/v1/nodes/quarantine-q/heartbeat", "{\"state\":\"idle\"}").json().get("directives");
        assertThat(directives).anySatisfy(d -> assertThat(d.get("type").asText()).isEqualTo("quarantine"));
        PlayedNode healthy = PlayedNode.register(first, "quarantine-h", QUARANTINE, 30_000).via(second);
        assertAttempt(healthy.awaitAssignment(ASSIGNED_WITHIN), retried, 3);
        assertThat(healthy.result(retried, 3, "{}").status()).isEqualTo(200);
        String fresh = Jobs.submit(first, Jobs.body(QUARANTINE, "{\"n\":7}", ""));
        assertAttempt(healthy.awaitAssignment(ASSIGNED_WITHIN), fresh, 1);
        assertThat(healthy.result(fresh, 1, "{}").status()).isEqualTo(200);
        assertThat(failing.poll(1_000)).as("assignments of the quarantined node").isEmpty();
        assertThat(Jobs.nodes(Jobs.status(first, fresh))).containsExactly("quarantine-h");
        Jobs.awaitNothingHeld(region, 2);
    }

    @Test
    @DisplayName("without its own node token a node gets 401 on assignments, result, failure and lease; a node that never had the job gets 409 not_assigned")
    void shouldRefuseReportsFromOtherNodes() {
        PlayedNode owner = PlayedNode.register(first, "auth-a", AUTH, 60_000);
        PlayedNode stranger = PlayedNode.register(first, "auth-c", AUTH_OTHER, 30_000);
        String jobId = Jobs.submit(first, Jobs.body(AUTH, "{\"n\":8}", ""));
        assertAttempt(owner.awaitAssignment(ASSIGNED_WITHIN), jobId, 1);
        String report = "{\"nodeId\":\"auth-a\",\"attempt\":1}";
        String result = "{\"nodeId\":\"auth-a\",\"attempt\":1,\"output\":{\"forged\":true}}";
        String failure = "{\"nodeId\":\"auth-a\",\"attempt\":1,\"error\":\"forged\"}";

        for (Http caller : List.of(first, first.withBearer(Http.token("auth-c")), first.withBearer("not-a-token"))) {
            Refusals.assertClearError(caller.get("/v1/nodes/auth-a/assignments?waitMs=0"), 401, "unauthorized", null);
            Refusals.assertClearError(caller.post("/v1/jobs/" + jobId + "/result", result), 401, "unauthorized", null);
            Refusals.assertClearError(caller.post("/v1/jobs/" + jobId + "/failure", failure), 401, "unauthorized", null);
            Refusals.assertClearError(caller.post("/v1/jobs/" + jobId + "/lease", report), 401, "unauthorized", null);
        }
        assertThat(owner.renew(jobId, 1).status()).as("the owner's own renewal after the forged ones").isEqualTo(200);
        Refusals.assertClearError(stranger.result(jobId, 1, "{}"), 409, "not_assigned", "nodeId");
        Refusals.assertClearError(stranger.failure(jobId, 1, "not mine"), 409, "not_assigned", "nodeId");

        JsonNode status = Jobs.status(first, jobId);
        assertThat(status.get("state").asText()).isEqualTo("assigned");
        assertThat(status.get("node").asText()).isEqualTo("auth-a");
        assertThat(Jobs.nodes(status)).containsExactly("auth-a");
        assertThat(status.has("output")).isFalse();
        assertThat(owner.result(jobId, 1, "{\"real\":true}").json().get("duplicate").asBoolean()).isFalse();
        assertThat(Jobs.status(first, jobId).get("output").get("real").asBoolean()).isTrue();
        Jobs.awaitNothingHeld(region, 2);
    }

    private static void assertAttempt(JsonNode assignment, String jobId, long attempt) {
        assertThat(assignment.get("jobId").asText()).as(assignment.toString()).isEqualTo(jobId);
        assertThat(assignment.get("attempt").asLong()).as(assignment.toString()).isEqualTo(attempt);
    }

    /** Waits until the job's status shows the attempt assigned, and returns its node. */
    private String awaitAttemptOn(String jobId, long attempt) {
        AtomicReference<JsonNode> status = new AtomicReference<>();
        await("attempt " + attempt + " of job " + jobId + " assigned").atMost(ASSIGNED_WITHIN).until(() -> {
            status.set(Jobs.status(first, jobId));
            return status.get().get("state").asText().equals("assigned") && status.get().get("attempt").asLong() == attempt;
        });
        return status.get().get("node").asText();
    }
}

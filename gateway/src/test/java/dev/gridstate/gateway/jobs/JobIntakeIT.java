package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Refusals;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.state.Keys;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** What {@code POST /v1/jobs} accepts and refuses, what an idempotency key promises, and intake without a broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobIntakeIT {

    private static final String REFUSED = "intake-refused";
    private static final String AT_LIMIT = "intake-limit";
    private static final String ONCE = "intake-once";
    private static final String RACE = "intake-race";
    private static final String CONFLICT = "intake-conflict";
    private static final String OUTAGE = "intake-outage";
    /** gateway.jobs.max-payload's default. */
    private static final int MAX_PAYLOAD = 262_144;
    private static final Duration ASSIGNED_WITHIN = Duration.ofSeconds(15);
    private static final Map<String, Object> SETTINGS = Map.of("gateway.registry.heartbeat-ttl", "60s",
            "gateway.jobs.lease", "10s");

    private TestRegion region;
    private Http http;
    private Keys keys;

    @BeforeAll
    void start() {
        TestGateway.jobQueues(TestRegion.NAME, REFUSED, AT_LIMIT, ONCE, RACE, CONFLICT, OUTAGE);
        region = TestRegion.start(1, SETTINGS);
        http = region.http();
        keys = new Keys(TestRegion.NAME);
        // One job of the model the refusals name, so the replica already consumes its queue:
        // a refused request that slipped through would reach the node polling in each case.
        PlayedNode node = PlayedNode.register(http, "refused-warm", REFUSED, 40_000);
        String jobId = Jobs.submit(http, Jobs.body(REFUSED, "{}", ""));
        assertThat(node.awaitAssignment(ASSIGNED_WITHIN).get("jobId").asText()).isEqualTo(jobId);
        assertThat(node.result(jobId, 1, "{}").status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void empty() {
        region.reset();
    }

    static Stream<Arguments> badJobs() {
        String m = "\"model\":\"" + REFUSED + "\"";
        return Stream.of(
                arguments("no model", "{\"payload\":{}}", "missing_field", "model"),
                arguments("model not a string", "{\"model\":7,\"payload\":{}}", "invalid_field", "model"),
                arguments("model with a space", "{\"model\":\"llama 3\",\"payload\":{}}", "invalid_field", "model"),
                arguments("model with an @", "{\"model\":\"llama@3\",\"payload\":{}}", "invalid_field", "model"),
                arguments("version with a space", "{" + m + ",\"version\":\"v 1\",\"payload\":{}}", "invalid_field", "version"),
                arguments("no payload", "{" + m + "}", "missing_field", "payload"),
                arguments("payload null", "{" + m + ",\"payload\":null}", "missing_field", "payload"),
                arguments("priority 10", "{" + m + ",\"payload\":{},\"priority\":10}", "invalid_field", "priority"),
                arguments("priority -1", "{" + m + ",\"payload\":{},\"priority\":-1}", "invalid_field", "priority"),
                arguments("priority a string", "{" + m + ",\"payload\":{},\"priority\":\"high\"}", "invalid_field", "priority"),
                arguments("maxAttempts 0", "{" + m + ",\"payload\":{},\"maxAttempts\":0}", "invalid_field", "maxAttempts"),
                arguments("maxAttempts 11", "{" + m + ",\"payload\":{},\"maxAttempts\":11}", "invalid_field", "maxAttempts"),
                arguments("maxAttempts 1.5", "{" + m + ",\"payload\":{},\"maxAttempts\":1.5}", "invalid_field", "maxAttempts"),
                arguments("idempotencyKey with a space", "{" + m + ",\"payload\":{},\"idempotencyKey\":\"order 42\"}",
                        "invalid_field", "idempotencyKey"),
                arguments("idempotencyKey empty", "{" + m + ",\"payload\":{},\"idempotencyKey\":\"\"}",
                        "invalid_field", "idempotencyKey"),
                arguments("idempotencyKey of 201 characters", "{" + m + ",\"payload\":{},\"idempotencyKey\":\"" + "k".repeat(201) + "\"}",
                        "invalid_field", "idempotencyKey"),
                arguments("body not JSON", "{" + m + ",\"payload\":", "malformed_json", null),
                arguments("body an array", "[{" + m + ",\"payload\":{}}]", "invalid_field", "$"),
                arguments("body a string", "\"" + REFUSED + "\"", "invalid_field", "$"),
                arguments("body empty", "", "missing_body", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJobs")
    @DisplayName("a bad job request answers 400 with error, message and field, and creates no job")
    void shouldRefuseBadJobsAndCreateNothing(String what, String body, String error, String field) {
        PlayedNode node = PlayedNode.register(http, "refused-1", REFUSED, 40_000);
        Map<String, String> before = region.snapshot();

        Http.Answer answer = http.post("/v1/jobs", body);

        Refusals.assertClearError(answer, 400, error, field);
        assertThat(region.snapshot()).as("the store after the refusal").isEqualTo(before);
        assertThat(node.poll(500)).as("assignments after the refusal").isEmpty();
    }

    @Test
    @DisplayName("a payload of exactly max-payload bytes is accepted and reaches the node whole; one byte more is 413")
    void shouldTakePayloadsUpToTheLimit() {
        PlayedNode node = PlayedNode.register(http, "limit-1", AT_LIMIT, 40_000);
        // A JSON string of n ASCII letters is n + 2 bytes of JSON.
        String atLimit = "x".repeat(MAX_PAYLOAD - 2);
        String overLimit = "y".repeat(MAX_PAYLOAD - 1);
        Map<String, String> before = region.snapshot();

        Http.Answer tooLarge = http.post("/v1/jobs", Jobs.body(AT_LIMIT, "\"" + overLimit + "\"", ""));

        Refusals.assertClearError(tooLarge, 413, "payload_too_large", "payload");
        assertThat(tooLarge.json().get("message").asText()).contains(String.valueOf(MAX_PAYLOAD + 1));
        assertThat(region.snapshot()).isEqualTo(before);

        String jobId = Jobs.submit(http, Jobs.body(AT_LIMIT, "\"" + atLimit + "\"", ""));

        JsonNode assignment = node.awaitAssignment(ASSIGNED_WITHIN);
        assertThat(assignment.get("jobId").asText()).isEqualTo(jobId);
        assertThat(assignment.get("payload").asText()).isEqualTo(atLimit);
        assertThat(node.result(jobId, 1, "{}").status()).isEqualTo(200);
        Jobs.awaitNothingHeld(region, 1);
    }

    @Test
    @DisplayName("the same idempotencyKey twice names one job: the same id, one assignment, one success")
    void shouldRunAJobSubmittedTwiceOnce() {
        PlayedNode node = PlayedNode.register(http, "once-1", ONCE, 40_000);
        String body = Jobs.body(ONCE, "{\"prompt\":\"hi\"}", "\"idempotencyKey\":\"order-42\"");

        Http.Answer first = http.post("/v1/jobs", body);
        Http.Answer second = http.post("/v1/jobs", body);

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(second.status()).as(second.body()).isEqualTo(202);
        String jobId = first.json().get("jobId").asText();
        assertThat(second.json().get("jobId").asText()).isEqualTo(jobId);
        assertThat(second.raw().headers().firstValue("Location")).hasValue("/v1/jobs/" + jobId);

        JsonNode assignment = node.awaitAssignment(ASSIGNED_WITHIN);
        assertThat(assignment.get("jobId").asText()).isEqualTo(jobId);
        assertThat(node.poll(2_000)).as("a second poll").isEmpty();
        Http.Answer reported = node.result(jobId, 1, "{\"text\":\"hello\"}");
        assertThat(reported.json().get("duplicate").asBoolean()).isFalse();

        Http.Answer third = http.post("/v1/jobs", body);
        assertThat(third.status()).isEqualTo(202);
        assertThat(third.json().get("jobId").asText()).isEqualTo(jobId);
        assertThat(third.json().get("state").asText()).isEqualTo("succeeded");
        assertThat(node.poll(1_000)).as("a poll after the job succeeded and was submitted again").isEmpty();
        JsonNode status = Jobs.status(http, jobId);
        assertThat(status.get("state").asText()).isEqualTo("succeeded");
        assertThat(status.get("attempt").asLong()).isEqualTo(1);
        assertThat(status.has("duplicates")).as(status.toString()).isFalse();
        Jobs.awaitNothingHeld(region, 1);
    }

    @Test
    @DisplayName("the same idempotencyKey sent by eight clients at once still makes one job and one assignment")
    void shouldRunAJobSubmittedConcurrentlyOnce() throws Exception {
        PlayedNode node = PlayedNode.register(http, "race-1", RACE, 40_000);
        String body = Jobs.body(RACE, "{\"prompt\":\"hi\"}", "\"idempotencyKey\":\"order-43\"");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Http.Answer> answers;
        try {
            List<Future<Http.Answer>> sent = IntStream.range(0, 8).mapToObj(i -> pool.submit(() -> http.post("/v1/jobs", body))).toList();
            answers = sent.stream().map(JobIntakeIT::join).toList();
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(202));
        Set<String> ids = answers.stream().map(a -> a.json().get("jobId").asText()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        String jobId = ids.iterator().next();

        JsonNode assignment = node.awaitAssignment(ASSIGNED_WITHIN);
        assertThat(assignment.get("jobId").asText()).isEqualTo(jobId);
        assertThat(node.poll(2_000)).as("a second poll").isEmpty();
        assertThat(node.result(jobId, 1, "{}").json().get("duplicate").asBoolean()).isFalse();
        assertThat(node.poll(1_000)).as("a poll after the result").isEmpty();
        assertThat(Jobs.status(http, jobId).get("attempt").asLong()).isEqualTo(1);
        Jobs.awaitNothingHeld(region, 1);
    }

    @Test
    @DisplayName("the same idempotencyKey with a different payload or priority is 409 idempotency_conflict, and the job stays as it was")
    void shouldRefuseAKeyReusedForAnotherJob() {
        PlayedNode node = PlayedNode.register(http, "conflict-1", CONFLICT, 40_000);
        String jobId = Jobs.submit(http, Jobs.body(CONFLICT, "{\"prompt\":\"a\"}", "\"idempotencyKey\":\"order-44\""));
        JsonNode before = Jobs.status(http, jobId);

        Http.Answer otherPayload = http.post("/v1/jobs", Jobs.body(CONFLICT, "{\"prompt\":\"b\"}", "\"idempotencyKey\":\"order-44\""));
        Http.Answer otherPriority = http.post("/v1/jobs",
                Jobs.body(CONFLICT, "{\"prompt\":\"a\"}", "\"idempotencyKey\":\"order-44\",\"priority\":5"));

        Refusals.assertClearError(otherPayload, 409, "idempotency_conflict", "idempotencyKey");
        Refusals.assertClearError(otherPriority, 409, "idempotency_conflict", "idempotencyKey");
        JsonNode after = Jobs.status(http, jobId);
        assertThat(after.get("priority").asInt()).isZero();
        assertThat(after.get("submittedAt")).isEqualTo(before.get("submittedAt"));
        JsonNode assignment = node.awaitAssignment(ASSIGNED_WITHIN);
        assertThat(assignment.get("jobId").asText()).isEqualTo(jobId);
        assertThat(assignment.get("payload").get("prompt").asText()).isEqualTo("a");
        assertThat(node.result(jobId, 1, "{}").status()).isEqualTo(200);
        assertThat(node.poll(1_000)).as("a poll after the result").isEmpty();
        Jobs.awaitNothingHeld(region, 1);
    }

    @Test
    @DisplayName("with the broker cut off, intake answers 503 broker_unavailable with Retry-After within 7 s and keeps no job;"
            + " the same key once it is back runs the job once")
    void shouldRefuseJobsWithoutABroker() {
        try (TcpProxy broker = TcpProxy.to(URI.create(RabbitBroker.shared().uri()).getPort());
             TestGateway cutOff = startGatewayThrough(broker)) {
            Http intake = cutOff.http();
            PlayedNode node = PlayedNode.register(http, "outage-1", OUTAGE, 40_000);
            // The gateway has a live broker connection when the cut comes.
            String warm = Jobs.submit(intake, Jobs.body(OUTAGE, "{}", ""));
            assertThat(node.awaitAssignment(ASSIGNED_WITHIN).get("jobId").asText()).isEqualTo(warm);
            assertThat(node.result(warm, 1, "{}").status()).isEqualTo(200);
            Set<String> jobsBefore = jobRecords();
            String body = Jobs.body(OUTAGE, "{\"prompt\":\"during the cut\"}", "\"idempotencyKey\":\"order-45\"");

            broker.cut();
            long started = System.nanoTime();
            Http.Answer refused = intake.post("/v1/jobs", body);
            long answeredMs = (System.nanoTime() - started) / 1_000_000;

            Refusals.assertClearError(refused, 503, "broker_unavailable", null);
            assertThat(refused.raw().headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("[1-9][0-9]*"));
            assertThat(answeredMs).as("ms until the 503").isLessThan(7_000);
            assertThat(jobRecords()).as("job records after the 503").isEqualTo(jobsBefore);
            assertThat(node.poll(1_500)).as("assignments after the 503").isEmpty();

            broker.restore();
            AtomicReference<Http.Answer> accepted = new AtomicReference<>();
            await("intake through the restored broker").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        accepted.set(intake.post("/v1/jobs", body));
                        return accepted.get().status() == 202;
                    });
            String jobId = accepted.get().json().get("jobId").asText();

            JsonNode assignment = node.awaitAssignment(ASSIGNED_WITHIN);
            assertThat(assignment.get("jobId").asText()).isEqualTo(jobId);
            assertThat(assignment.get("payload").get("prompt").asText()).isEqualTo("during the cut");
            assertThat(node.poll(2_000)).as("a second poll").isEmpty();
            assertThat(node.result(jobId, 1, "{}").json().get("state").asText()).isEqualTo("succeeded");
            assertThat(Jobs.status(http, jobId).get("attempt").asLong()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("an unknown job id is 404 not_found; a malformed one is 400 invalid_field jobId")
    void shouldAnswerUnknownAndMalformedIds() {
        Http.Answer unknown = http.get("/v1/jobs/" + UUID.randomUUID());
        Http.Answer malformed = http.get("/v1/jobs/not-a-job-id");
        Http.Answer upperCase = http.get("/v1/jobs/" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT));

        Refusals.assertClearError(unknown, 404, "not_found", null);
        Refusals.assertClearError(malformed, 400, "invalid_field", "jobId");
        Refusals.assertClearError(upperCase, 400, "invalid_field", "jobId");
    }

    private Set<String> jobRecords() {
        return Set.copyOf(region.regional().commands().keys(keys.jobPrefix() + "*"));
    }

    /** A second replica of the region whose broker connections go through {@code proxy}. */
    private TestGateway startGatewayThrough(TcpProxy proxy) {
        URI real = URI.create(RabbitBroker.shared().uri());
        String viaProxy = real.getScheme() + "://" + real.getRawUserInfo() + "@127.0.0.1:" + proxy.port() + real.getRawPath();
        Map<String, Object> settings = new HashMap<>(SETTINGS);
        settings.put("rabbitmq.uri", viaProxy);
        return TestGateway.start(TestRegion.NAME, region.regionalSettings(), region.central(), settings);
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

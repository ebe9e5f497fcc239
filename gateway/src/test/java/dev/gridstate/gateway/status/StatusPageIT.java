package dev.gridstate.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.Refusals;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page end to end: a gateway on real redis-server processes and the real broker, a
 * fleet of nodes registered over HTTP, and the page in a headless Chromium, read as an operator
 * reads it. Each test opens its own tab, so each enters the token (it is kept per tab).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageIT {

    private static final String LLAMA = "llama-3-8b";
    private static final String MISTRAL = "mistral-7b";
    private static final String JOBS_MODEL = "status-jobs";
    /** Longer than any test: no node goes offline for want of a heartbeat while the page is read. */
    private static final Map<String, Object> SETTINGS = Map.of("gateway.registry.heartbeat-ttl", "10m");
    private static final Duration JOB_DEAD_WITHIN = Duration.ofSeconds(20);
    private static final Pattern NOT_LETTING_CALLS_THROUGH = Pattern.compile("^(OPEN|HALF_OPEN)$");

    private TestRegion region;
    private Http http;
    private Http admin;
    private StatusBrowser browser;
    private Page page;

    @BeforeAll
    void start() {
        // Checked first: without Chromium there is nothing to test, and that is a failure, not a skip.
        StatusBrowser.requireChromium();
        TestGateway.jobQueues(TestRegion.NAME, JOBS_MODEL);
        region = TestRegion.start(1, SETTINGS);
        http = region.http();
        admin = http.asAdmin();
        browser = StatusBrowser.launch();
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (region != null) {
                region.close();
            }
        }
    }

    @BeforeEach
    void empty() {
        region.reset();
        page = browser.newPage();
    }

    @AfterEach
    void closePage() {
        page.close();
    }

    @Test
    @DisplayName("the page shows the region, both breakers closed, nodes by model and state, the flag and the dead job, and follows changes live")
    void shouldShowTheRegionAndFollowItLive() {
        register("a1", LLAMA, "idle");
        register("a2", LLAMA, "busy");
        register("a3", LLAMA, "draining");
        register("b1", MISTRAL, "idle");
        register("b2", MISTRAL, "idle");
        register("b3", MISTRAL, "busy");
        flag("b2", "pause", "{\"reason\":\"disk check\",\"ttlMs\":600000}");
        String deadJob = deadJob();

        openWithToken(region.gateway(0).uri(), TestGateway.ADMIN_TOKEN);

        assertThat(byId("connection")).hasText("live");
        assertThat(byId("region")).hasText(TestRegion.NAME);
        assertThat(byId("breaker-regional")).hasText("CLOSED");
        assertThat(byId("breaker-central")).hasText("CLOSED");
        assertThat(byId("redis-regional-status")).hasText("UP");
        assertThat(byId("redis-central-status")).hasText("UP");
        assertThat(byId("serving")).hasText("regional");
        assertThat(byId("broker-status")).hasText("UP");
        assertThat(byId("changelog-status")).hasText("connected");
        assertThat(byId("nodes-online")).hasText("7");
        assertModel(LLAMA, 3, 1, 1, 1, 1);
        // b2 is paused: online and idle, but not ready.
        assertModel(MISTRAL, 3, 2, 1, 0, 1);
        assertModel(JOBS_MODEL, 1, 1, 0, 0, 1);
        assertThat(byId("state-idle")).hasText("idle 4");
        assertThat(byId("state-busy")).hasText("busy 2");
        assertThat(byId("state-draining")).hasText("draining 1");
        assertThat(byId("flags-total")).hasText("1");
        assertThat(byId("flag-b2-pause")).containsText("disk check");
        assertThat(byId("dead-total")).hasText("1");
        assertThat(byId("dead-" + deadJob)).containsText("weights do not load");
        assertThat(page.locator("[data-part] .error:visible")).hasCount(0);
        browser.screenshot(page, "status-page.png");

        register("a4", LLAMA, "idle");
        beat("a2", "idle");
        flag("a1", "freeze", "{\"reason\":\"bad answers\"}");

        assertThat(byId("nodes-online")).hasText("8");
        assertModel(LLAMA, 4, 3, 0, 1, 2);
        assertThat(byId("flags-total")).hasText("2");
        assertThat(byId("flag-a1-freeze")).containsText("bad answers");
        assertThat(byId("connection")).hasText("live");
        assertThat(browser.errors(page)).as("errors in the page's console").isEmpty();
        browser.screenshot(page, "status-page-live.png");

        StatusStream stream = region.gateway(0).context().getBean(StatusStream.class);
        assertThat(stream.watchers()).isEqualTo(1);
        page.close();

        await("the closed tab's stream let go").atMost(Duration.ofSeconds(10)).until(() -> stream.watchers() == 0);
    }

    @Test
    @DisplayName("a hung regional Redis shows as DOWN with its breaker open and state served by central, the rest of the page unaffected, and back once it answers")
    void shouldShowAHungRegionalRedisAndItsReturn() {
        register("c1", LLAMA, "idle");
        openWithToken(region.gateway(0).uri(), TestGateway.ADMIN_TOKEN);
        assertThat(byId("breaker-regional")).hasText("CLOSED");

        region.regional().hang();
        try {
            // Failover opens the breaker after three PINGs of the test gateway's 1 s timeout; while the
            // Redis still hangs, the breaker goes on between OPEN (1 s) and HALF_OPEN (its probes failing).
            assertThat(byId("breaker-regional")).hasText(NOT_LETTING_CALLS_THROUGH,
                    new LocatorAssertions.HasTextOptions().setTimeout(StatusBrowser.FAULT_SHOWN_WITHIN.toMillis()));
            assertThat(byId("redis-regional-status")).hasText("DOWN");
            assertThat(byId("redis-regional-error")).containsText("PING");
            assertThat(byId("serving")).hasText("central");
            assertThat(byId("redis-central-status")).hasText("UP");
            assertThat(byId("breaker-central")).hasText("CLOSED");
            assertThat(byId("broker-status")).hasText("UP");
            assertThat(byId("connection")).hasText("live");
            browser.screenshot(page, "status-page-regional-down.png");
        } finally {
            region.regional().resume();
        }

        assertThat(byId("breaker-regional")).hasText("CLOSED", new LocatorAssertions.HasTextOptions().setTimeout(StatusBrowser.FAULT_SHOWN_WITHIN.toMillis()));
        assertThat(byId("redis-regional-status")).hasText("UP");
        assertThat(byId("serving")).hasText("regional");
    }

    @Test
    @DisplayName("a wrong token is refused with a clear message and asked for again; the right one then connects")
    void shouldRefuseAWrongToken() {
        openWithToken(region.gateway(0).uri(), "not-the-admin-token");

        assertThat(byId("login-message")).hasText("The gateway refused the admin token: the admin token is not valid.");
        assertThat(byId("connection")).hasText("not connected");
        assertThat(byId("dashboard")).isHidden();
        browser.screenshot(page, "status-page-wrong-token.png");

        enterToken(TestGateway.ADMIN_TOKEN);

        assertThat(byId("connection")).hasText("live");
        assertThat(byId("region")).hasText(TestRegion.NAME);
        assertThat(byId("login")).isHidden();
    }

    @Test
    @DisplayName("when the stream drops the page says disconnected and retries, and is live again once the gateway is back")
    void shouldShowDisconnectedAndReconnect() {
        TestGateway replica = TestGateway.start(TestRegion.NAME, region.regionalSettings(), region.central(), SETTINGS);
        int port = replica.uri().getPort();
        try {
            openWithToken(replica.uri(), TestGateway.ADMIN_TOKEN);
            assertThat(byId("connection")).hasText("live");

            replica.close();

            assertThat(byId("connection")).hasText("disconnected");
            assertThat(byId("connection-detail")).containsText("retrying in");
            assertThat(byId("stale-banner")).containsText("Disconnected from the gateway: showing the state as of");
            browser.screenshot(page, "status-page-disconnected.png");
        } finally {
            replica.close();
        }
        // The same port again, as a restarted gateway would come back.
        Map<String, Object> samePort = new HashMap<>(SETTINGS);
        samePort.put("micronaut.server.port", port);
        try (TestGateway restarted = TestGateway.start(TestRegion.NAME, region.regionalSettings(), region.central(), samePort)) {
            // Retries back off 1, 2, 4, 8 s: the restarted gateway is found within about 15 s.
            assertThat(byId("connection")).hasText("live",
                    new LocatorAssertions.HasTextOptions().setTimeout(StatusBrowser.RECONNECT_WITHIN.toMillis()));
            assertThat(byId("region")).hasText(TestRegion.NAME);
            assertThat(byId("stale-banner")).isHidden();
        }
    }

    @Test
    @DisplayName("the status API is admin-only and refuses bad input with the API's JSON errors; the page itself is public")
    void shouldGuardTheApiAndServeThePage() {
        Refusals.assertClearError(http.get("/v1/admin/status"), 401, "unauthorized", null);
        Refusals.assertClearError(http.get("/v1/admin/status/stream"), 401, "unauthorized", null);
        Refusals.assertClearError(http.withBearer("wrong").get("/v1/admin/status/stream"), 401, "unauthorized", null);
        Refusals.assertClearError(admin.get("/v1/admin/status?verbose=1"), 400, "invalid_field", "verbose");
        Refusals.assertClearError(admin.get("/v1/admin/status/stream?since=0"), 400, "invalid_field", "since");

        Http.Answer snapshot = admin.get("/v1/admin/status");
        Http.Answer html = http.get("/status");
        Http.Answer script = http.get("/status/status.js");

        assertThat(snapshot.status()).as(snapshot.body()).isEqualTo(200);
        JsonNode json = snapshot.json();
        assertThat(json.get("region").asText()).isEqualTo(TestRegion.NAME);
        assertThat(json.at("/store/redis/0/breaker").asText()).isEqualTo("CLOSED");
        assertThat(json.at("/store/redis/1/name").asText()).isEqualTo("central");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p)
                .contains("connect-src 'self'").contains("script-src 'self'"));
        assertThat(html.body()).contains("/status/status.js").doesNotContain("http://").doesNotContain("https://");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    }

    private Locator byId(String testId) {
        return page.getByTestId(testId);
    }

    private void openWithToken(URI gateway, String token) {
        page.navigate(gateway.resolve("/status").toString());
        assertThat(byId("login")).isVisible();
        enterToken(token);
    }

    private void enterToken(String token) {
        byId("token").fill(token);
        byId("connect").click();
    }

    private void assertModel(String model, long online, long idle, long busy, long draining, long ready) {
        Locator row = byId("model-" + model);
        assertThat(row.locator("[data-col=online]")).hasText(Long.toString(online));
        assertThat(row.locator("[data-col=idle]")).hasText(Long.toString(idle));
        assertThat(row.locator("[data-col=busy]")).hasText(Long.toString(busy));
        assertThat(row.locator("[data-col=draining]")).hasText(Long.toString(draining));
        assertThat(row.locator("[data-col=ready]")).hasText(Long.toString(ready));
    }

    private void register(String nodeId, String model, String state) {
        String spec = Nodes.spec(model, "v1", 81920, 40960, "gold");
        String body = spec.substring(0, spec.lastIndexOf('}')) + ",\"state\":\"" + state + "\"}";
        Http.Answer registered = http.put("/v1/nodes/" + nodeId, body);
        assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    }

    private void beat(String nodeId, String state) {
        Http.Answer beat = http.post("/v1/nodes/" + nodeId + "/heartbeat", "{\"state\":\"" + state + "\"}");
        assertThat(beat.status()).as(beat.body()).isEqualTo(200);
    }

    private void flag(String nodeId, String kind, String body) {
        Http.Answer set = admin.put("/v1/admin/nodes/" + nodeId + "/flags/" + kind, body);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    /** A job of one attempt whose attempt failed: dead, with a node of its own model that polled for it. */
    private String deadJob() {
        register("dj1", JOBS_MODEL, "idle");
        Http node = http.withBearer(Http.token("dj1"));
        Http.Answer submitted = http.post("/v1/jobs", "{\"model\":\"" + JOBS_MODEL + "\",\"payload\":{\"n\":1},\"maxAttempts\":1}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("jobId").asText();
        List<JsonNode> assignments = new ArrayList<>();
        await("an assignment for dj1").atMost(JOB_DEAD_WITHIN).pollDelay(Duration.ZERO).until(() -> {
            Http.Answer polled = node.get("/v1/nodes/dj1/assignments?waitMs=2000");
            assertThat(polled.status()).as(polled.body()).isEqualTo(200);
            polled.json().forEach(assignments::add);
            return !assignments.isEmpty();
        });
        assertThat(assignments.get(0).get("jobId").asText()).isEqualTo(jobId);
        Http.Answer failed = node.post("/v1/jobs/" + jobId + "/failure",
                "{\"nodeId\":\"dj1\",\"attempt\":1,\"error\":\"weights do not load\"}");
        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        await("job " + jobId + " dead").atMost(JOB_DEAD_WITHIN)
                .until(() -> http.get("/v1/jobs/" + jobId).json().path("state").asText().equals("dead"));
        return jobId;
    }
}

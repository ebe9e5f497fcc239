package dev.gridstate.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    private static final Request OK = Request.get("/ok").build();
    private static final Request HANG = Request.get("/hang").build();

    @Test
    @DisplayName("an OPEN run sends at the target rate and records every answer")
    void shouldSendAtTheTargetRateInOpenMode() throws Exception {
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 4)) {
            LoadSpec spec = LoadSpec.open("rate", 500).warmup(Duration.ZERO).duration(Duration.ofSeconds(2)).build();

            LoadResult result = load.run(spec, RequestSource.repeating(OK));

            assertThat(result.sent()).isBetween(900L, 1100L).isEqualTo(server.requests.get());
            assertThat(result.completed()).isEqualTo(result.sent()).isEqualTo(result.ok());
            assertThat(result.latency().count()).isEqualTo(result.completed());
            assertThat(result.serviceTime().count()).isEqualTo(result.completed());
            assertThat(result.achievedRate()).isCloseTo(500, within(50.0));
            assertThat(result.measured()).isEqualTo(Duration.ofSeconds(2));
            assertThat(result.errors()).isZero();
            assertThat(result.unsent()).isZero();
            assertThat(result.saturated()).isFalse();
            assertThat(new ObjectMapper().writeValueAsString(result.toMap()))
                    .contains("\"name\":\"rate\"", "\"mode\":\"OPEN\"", "\"targetRate\":500.0", "\"p99Ms\":", "\"saturated\":false");
        }
    }

    @Test
    @DisplayName("with two I/O threads the schedule is shared between them, and the rate still holds")
    void shouldShareTheScheduleBetweenEventLoops() {
        try (TestServer server = new TestServer();
                LoadGenerator load = LoadGenerator.builder(server.uri()).connections(4).ioThreads(2).build()) {
            LoadSpec spec = LoadSpec.open("two-loops", 400).warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).build();

            LoadResult result = load.run(spec, RequestSource.repeating(OK));

            assertThat(result.sent() + result.unsent()).isEqualTo(400);
            assertThat(result.sent()).isGreaterThan(360).isEqualTo(result.completed()).isEqualTo(server.requests.get());
            assertThat(result.latency().count()).isEqualTo(result.completed());
            assertThat(server.accepted.get()).isEqualTo(4);
        }
    }

    @Test
    @DisplayName("an OPEN run measures from the intended send time, so a server stall shows in the latency but hardly in the service time")
    void shouldCountAStallFromTheIntendedSendTime() {
        try (TestServer server = new TestServer().stallOnce(Duration.ofMillis(700), Duration.ofMillis(200));
                LoadGenerator load = generator(server, 4)) {
            LoadSpec spec = LoadSpec.open("stall", 200).warmup(Duration.ZERO).duration(Duration.ofMillis(1500)).build();

            LoadResult result = load.run(spec, RequestSource.repeating(OK));

            // About 40 requests fall due during the stall, their waits spread from 0 to 200 ms; only the
            // one stuck on each connection is slow to serve. A busy machine adds hiccups to both.
            long slow = result.latency().histogram().getCountBetweenValues(100_000, Tally.HIGHEST_MICROS);
            long slowToServe = result.serviceTime().histogram().getCountBetweenValues(100_000, Tally.HIGHEST_MICROS);
            assertThat(result.latency().maxMs()).isGreaterThanOrEqualTo(180.0);
            assertThat(result.latency().p99Ms()).isGreaterThanOrEqualTo(100.0);
            assertThat(slowToServe).isPositive();
            assertThat(slow).isGreaterThanOrEqualTo(slowToServe + 10);
            assertThat(result.completed()).isEqualTo(result.sent()).isBetween(270L, 330L);
        }
    }

    @Test
    @DisplayName("answers other than 2xx are counted by status")
    void shouldCountNon2xxAnswersByStatus() {
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 2)) {
            Request unavailable = Request.get("/status/503").build();
            Request notFound = Request.get("/status/404").build();
            RequestSource source = (seq, connection) -> switch ((int) (seq % 4)) {
                case 0 -> unavailable;
                case 1 -> notFound;
                default -> OK;
            };

            LoadResult result = load.run(closed("statuses", Duration.ofMillis(500)), source);

            assertThat(server.count("/status/503")).isPositive();
            assertThat(server.count("/status/404")).isPositive();
            assertThat(result.non2xx()).containsOnlyKeys(503, 404)
                    .containsEntry(503, server.count("/status/503"))
                    .containsEntry(404, server.count("/status/404"));
            assertThat(result.ok()).isEqualTo(server.count("/ok"));
            assertThat(result.completed()).isEqualTo(result.sent());
            assertThat(result.errors()).isZero();
        }
    }

    @Test
    @DisplayName("a request not answered in time is a timeout, and its connection is reopened")
    void shouldCountTimeoutsAndReopenTheConnection() {
        AtomicLong failedCompletions = new AtomicLong();
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 2)) {
            RequestSource source = (seq, connection) -> seq % 5 == 0 ? HANG : OK;
            // A timeout well above an /ok's service time, so only a hung request can reach it.
            LoadSpec spec = closed("timeouts", Duration.ofSeconds(1)).mutate()
                    .timeout(Duration.ofMillis(250))
                    .listener((intended, end, status, warmup) -> {
                        if (status == CompletionListener.FAILED) {
                            failedCompletions.incrementAndGet();
                        }
                    })
                    .build();

            LoadResult result = load.run(spec, source);

            // Every hung request timed out; an /ok could too, if a busy machine held it for 250 ms.
            assertThat(server.count("/hang")).isGreaterThanOrEqualTo(4);
            assertThat(result.timeouts()).isGreaterThanOrEqualTo(server.count("/hang"));
            assertThat(result.timeouts() + result.ok()).isEqualTo(server.requests.get()).isEqualTo(result.sent());
            assertThat(failedCompletions.get()).isEqualTo(result.timeouts());
            // Each timed-out connection is closed; all but the last on each one were reopened to go on.
            assertThat(server.accepted.get()).isGreaterThanOrEqualTo(result.timeouts());
            assertThat(result.ok()).isPositive();
            assertThat(result.transportErrors()).isZero();
        }
    }

    @Test
    @DisplayName("a connection the server closes is reopened; one closed without an answer is a transport error")
    void shouldReopenClosedConnections() {
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 2)) {
            Request drop = Request.get("/drop").build();
            Request close = Request.get("/close").build();
            RequestSource source = (seq, connection) -> switch ((int) (seq % 5)) {
                case 0 -> drop;
                case 1 -> close;
                default -> OK;
            };

            LoadResult result = load.run(closed("closes", Duration.ofMillis(500)), source);

            assertThat(server.count("/drop")).isGreaterThanOrEqualTo(4);
            assertThat(result.transportErrors()).isEqualTo(server.count("/drop"));
            assertThat(result.ok()).isEqualTo(server.count("/ok") + server.count("/close"));
            assertThat(server.accepted.get()).isGreaterThanOrEqualTo(server.count("/drop") + server.count("/close"));
            assertThat(result.timeouts()).isZero();
            assertThat(result.connectErrors()).isZero();
        }
    }

    @Test
    @DisplayName("a run ends within warmup + duration + timeout even if the server never answers")
    void shouldEndWithinItsBoundWhenTheServerNeverAnswers() {
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 2)) {
            LoadSpec spec = LoadSpec.open("silent", 100)
                    .warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).timeout(Duration.ofMillis(300)).build();
            long started = System.nanoTime();

            LoadResult result = load.run(spec, RequestSource.repeating(HANG));

            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(tookMillis).isBetween(1000L, spec.bound().toMillis() + 1000);
            assertThat(result.completed()).isZero();
            assertThat(result.timeouts()).isPositive().isEqualTo(result.sent());
            assertThat(result.unsent()).isPositive();
            assertThat(result.latency().count()).isZero();
        }
    }

    @Test
    @DisplayName("a CLOSED run with N connections has N requests in flight, never more, and one per connection")
    void shouldKeepOneRequestInFlightPerConnection() {
        try (TestServer server = new TestServer().delay(Duration.ofMillis(2)); LoadGenerator load = generator(server, 4)) {

            LoadResult result = load.run(closed("closed", Duration.ofMillis(500)), RequestSource.repeating(OK));

            assertThat(server.maxInFlight.get()).isEqualTo(4);
            assertThat(server.maxInFlightPerConnection.get()).isEqualTo(1);
            assertThat(result.completed()).isEqualTo(result.sent()).isGreaterThan(20);
            assertThat(result.serviceTime().p50Ms()).isGreaterThanOrEqualTo(2.0);
            assertThat(result.latency().count()).isGreaterThanOrEqualTo(result.serviceTime().count());
            assertThat(result.latency().basis()).contains("corrected for coordinated omission");
            assertThat(result.toMap()).doesNotContainKeys("targetRate", "saturated");
        }
    }

    @Test
    @DisplayName("an OPEN run stops issuing and says it is saturated once the backlog passes its bound")
    void shouldReportSaturation() {
        try (TestServer server = new TestServer().delay(Duration.ofMillis(50)); LoadGenerator load = generator(server, 1)) {
            LoadSpec spec = LoadSpec.open("saturated", 1000)
                    .warmup(Duration.ZERO).duration(Duration.ofSeconds(5)).maxBacklog(Duration.ofMillis(100)).build();
            long started = System.nanoTime();

            LoadResult result = load.run(spec, RequestSource.repeating(OK));

            assertThat(result.saturated()).isTrue();
            // Nominally it saturates after about 100 ms; the margin is for a busy machine.
            assertThat(result.measured()).isLessThan(Duration.ofMillis(2500));
            assertThat(result.unsent()).isGreaterThan(100);
            assertThat(result.sent()).isEqualTo(result.completed()).isLessThan(result.unsent());
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(3));
        }
    }

    @Test
    @DisplayName("the warmup is left out of the result but told to the listener")
    void shouldLeaveTheWarmupOutOfTheResult() {
        AtomicLong warmups = new AtomicLong();
        AtomicLong measured = new AtomicLong();
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 2)) {
            LoadSpec spec = LoadSpec.open("warmup", 200).warmup(Duration.ofMillis(500)).duration(Duration.ofSeconds(1))
                    .listener((intended, end, status, warmup) -> (warmup ? warmups : measured).incrementAndGet())
                    .build();

            LoadResult result = load.run(spec, RequestSource.repeating(OK));

            // The schedule holds 100 warmup requests and 200 measured ones; a few of the last may stay unsent.
            assertThat(warmups.get()).isEqualTo(100);
            assertThat(server.requests.get()).isEqualTo(warmups.get() + measured.get());
            assertThat(measured.get()).isEqualTo(result.sent()).isEqualTo(result.completed()).isEqualTo(result.latency().count());
            assertThat(result.sent() + result.unsent()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a source that wants bodies gets each answer's body with its request")
    void shouldGiveTheBodyToASourceThatWantsIt() {
        AtomicLong answers = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        Request post = Request.post("/ok?x=1").header("Authorization", "Bearer t").body("text/plain", new byte[0]).build();
        RequestSource source = new RequestSource() {
            @Override
            public Request next(long seq, int connection) {
                return post.withBody(("hello-" + seq).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public boolean wantsBody() {
                return true;
            }

            @Override
            public void onResponse(Request request, int status, String body) {
                answers.incrementAndGet();
                if (!body.equals("POST /ok?x=1 " + new String(request.body(), StandardCharsets.UTF_8))) {
                    mismatches.incrementAndGet();
                }
            }
        };
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 2)) {

            LoadResult result = load.run(closed("bodies", Duration.ofMillis(300)), source);

            assertThat(answers.get()).isEqualTo(result.completed()).isPositive();
            assertThat(mismatches.get()).isZero();
        }
    }

    @Test
    @DisplayName("a HEAD answer's Content-Length does not make the next answer unreadable")
    void shouldReadHeadAnswersWithoutABody() {
        try (TestServer server = new TestServer(); LoadGenerator load = generator(server, 1)) {

            LoadResult result = load.run(closed("head", Duration.ofMillis(200)),
                    RequestSource.repeating(Request.builder("HEAD", "/ok").build()));

            assertThat(result.completed()).isEqualTo(result.ok()).isEqualTo(server.requests.get()).isGreaterThan(10);
            assertThat(result.errors()).isZero();
        }
    }

    @Test
    @DisplayName("a generator that cannot open one connection fails fast and says where it tried")
    void shouldFailWhenNoConnectionOpens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> LoadGenerator.builder(nowhere).connections(2).connectTimeout(Duration.ofMillis(300)).build())
                .isInstanceOf(LoadException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("connect errors=");
    }

    @Test
    @DisplayName("bad settings are refused with the value named")
    void shouldRefuseBadSettings() {
        assertThatThrownBy(() -> LoadSpec.open("x", -5).build()).hasMessageContaining("rate").hasMessageContaining("-5.0");
        assertThatThrownBy(() -> LoadSpec.closed("x").duration(Duration.ZERO).build()).hasMessageContaining("duration");
        assertThatThrownBy(() -> Request.get("ok").build()).hasMessageContaining("'ok'");
        assertThatThrownBy(() -> Request.get("/ok").header("Host", "x")).hasMessageContaining("Host");
        assertThatThrownBy(() -> LoadGenerator.builder(URI.create("https://127.0.0.1:1")).build()).hasMessageContaining("https://127.0.0.1:1");
        assertThatThrownBy(() -> LoadGenerator.builder(URI.create("http://127.0.0.1:1")).connections(0).build())
                .hasMessageContaining("connections").hasMessageContaining("0");
    }

    private static LoadGenerator generator(TestServer server, int connections) {
        return LoadGenerator.builder(server.uri()).connections(connections).connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static LoadSpec closed(String name, Duration duration) {
        return LoadSpec.closed(name).warmup(Duration.ZERO).duration(duration).timeout(Duration.ofSeconds(1)).build();
    }
}

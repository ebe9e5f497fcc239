package dev.gridstate.agent;

import dev.gridstate.agent.FakeGateway.Job;
import dev.gridstate.agent.FakeGateway.Received;
import dev.gridstate.agent.FakeGateway.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobFaultTest {

    private static final String HEARTBEAT_OK = "{\"ttlMs\":300,\"intervalMs\":100,\"directives\":[]}";

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();

    @Test
    void shouldRetryAResultAnswered503UntilTheGatewayTakesIt() {
        AtomicInteger unavailable = new AtomicInteger();
        gateway.override(request -> request.path().equals("/v1/jobs/j1/result") && unavailable.getAndIncrement() < 3
                ? new Reply(503, "{\"error\":\"unavailable\"}", Map.of("Retry-After", "0")) : null);
        NodeAgent agent = agent(assignment -> JobTest.json("{\"tokens\":42}"));
        agent.start();

        gateway.assign("n1", Job.of("j1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(gateway.results("j1")).hasSize(4).extracting(Received::body).containsOnly(
                JobTest.json("{\"nodeId\":\"n1\",\"attempt\":1,\"output\":{\"tokens\":42}}"));
        assertThat(agent.counters().reportsRefused()).isZero();
    }

    @Test
    void shouldCountAndReportAResultRefusedWith400WithoutRetrying() {
        gateway.override(request -> request.path().endsWith("/result")
                ? Reply.of(400, "{\"error\":\"invalid_field\",\"message\":\"attempt is stale\",\"field\":\"attempt\"}")
                : null);
        NodeAgent agent = agent(assignment -> null);
        agent.start();

        gateway.assign("n1", Job.of("j1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().reportsRefused() == 1);
        assertThat(listener.errors).singleElement().satisfies(error -> {
            assertThat(error.operation()).isEqualTo("result");
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.code()).isEqualTo("invalid_field");
        });
        // the slot is free again: the node polls on
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.polls("n1").size() >= 2);
        assertThat(gateway.results("j1")).hasSize(1);
        assertThat(agent.counters().jobsSucceeded()).isZero();
    }

    @Test
    void shouldReRegisterWhenAPollAnswers401AndPollOnWithTheFreshToken() {
        // heartbeats always pass, so only the poll can notice the stale token
        gateway.override(request -> request.path().endsWith("/heartbeat") ? Reply.of(200, HEARTBEAT_OK) : null);
        NodeAgent agent = agent(assignment -> null);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.polls("n1").isEmpty());

        gateway.revokeToken("n1");

        await().atMost(Duration.ofSeconds(5)).until(() -> withToken(gateway.polls("n1"), "tok-n1-1") >= 1);
        assertThat(gateway.registrations("n1")).hasSize(2);
        assertThat(listener.reRegisterRequested).containsExactly("n1");
        gateway.assign("n1", Job.of("j1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(gateway.results("j1")).extracting(Received::authorization).containsExactly("Bearer tok-n1-1");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void shouldReRegisterWhenAResultAnswers401AndReportItAgainWithTheFreshToken() {
        gateway.override(request -> request.path().endsWith("/heartbeat") ? Reply.of(200, HEARTBEAT_OK) : null);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        NodeAgent agent = agent(assignment -> {
            started.countDown();
            release.await();
            return null;
        });
        agent.start();
        gateway.assign("n1", Job.of("j1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);

        gateway.revokeToken("n1");
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(gateway.results("j1")).extracting(Received::authorization)
                .containsExactly("Bearer tok-n1-0", "Bearer tok-n1-1");
        assertThat(gateway.registrations("n1")).hasSize(2);
    }

    @Test
    @DisplayName("an 'assignments' directive in a heartbeat answer cuts a poll's backoff short")
    void shouldPollAtOnceWhenAHeartbeatSaysAssignmentsAreWaiting() {
        AtomicInteger polls = new AtomicInteger();
        gateway.override(request -> request.path().endsWith("/assignments") && polls.getAndIncrement() == 0
                ? new Reply(503, "{\"error\":\"unavailable\"}", Map.of("Retry-After", "30")) : null);
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .jobs(assignment -> null)
                .assignmentWait(Duration.ofMillis(500))
                .backoffBase(Duration.ofMillis(10))
                .backoffCap(Duration.ofSeconds(10)));
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() == 1);
        gateway.assign("n1", Job.of("j1"));

        gateway.directives("[{\"type\":\"assignments\"}]");

        // without the nudge the next poll would wait the whole 10 s cap
        await().atMost(Duration.ofSeconds(3)).until(() -> agent.counters().jobsSucceeded() == 1);
    }

    @Test
    void shouldGiveALongPollTheWaitPlusTheRequestTimeoutBeforeGivingUpOnIt() {
        CountDownLatch hang = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        gateway.override(request -> {
            if (request.path().endsWith("/assignments") && polls.getAndIncrement() == 0) {
                try {
                    hang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.of(200, "[]");
            }
            return null;
        });
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .jobs(assignment -> null)
                .assignmentWait(Duration.ofMillis(400))
                .requestTimeout(Duration.ofMillis(500))
                .backoffBase(Duration.ofMillis(10)).backoffCap(Duration.ofMillis(20)));
        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.polls("n1").size() >= 2);

        hang.countDown();
        List<Received> sent = gateway.polls("n1");
        assertThat(Duration.ofNanos(sent.get(1).atNanos() - sent.get(0).atNanos()))
                .isBetween(Duration.ofMillis(850), Duration.ofMillis(2_000));
    }

    @Test
    void shouldNotPollInAHotLoopWhenTheGatewayAnswersAtOnce() {
        gateway.override(request -> request.path().endsWith("/assignments") ? Reply.of(200, "[]") : null);
        NodeAgent agent = agent(assignment -> null);
        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.polls("n1").size() >= 6);

        List<Received> polls = gateway.polls("n1");
        for (int i = 1; i < polls.size(); i++) {
            assertThat(Duration.ofNanos(polls.get(i).atNanos() - polls.get(i - 1).atNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void shouldBackOffWhenPollsFailAndTakeJobsOnceTheGatewayRecovers() {
        AtomicBoolean unavailable = new AtomicBoolean(true);
        gateway.override(request -> request.path().endsWith("/assignments") && unavailable.get()
                ? Reply.of(502, "{}") : null);
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .jobs(assignment -> null)
                .assignmentWait(Duration.ofMillis(500))
                .backoffBase(Duration.ofMillis(20)).backoffCap(Duration.ofMillis(80)));
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.polls("n1").size() >= 5);

        unavailable.set(false);
        gateway.assign("n1", Job.of("j1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(agent.isRegistered("n1")).isTrue();
        assertThat(listener.errors).isEmpty();
    }

    private NodeAgent agent(JobHandler handler) {
        return fixture.build(fixture.builder().node(TestNodes.spec("n1")).jobs(handler)
                .assignmentWait(Duration.ofMillis(500))
                .backoffBase(Duration.ofMillis(10)).backoffCap(Duration.ofMillis(50)));
    }

    private static long withToken(List<Received> requests, String token) {
        return requests.stream().filter(r -> ("Bearer " + token).equals(r.authorization())).count();
    }
}

package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.gridstate.agent.FakeGateway.Job;
import dev.gridstate.agent.FakeGateway.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();

    @Test
    void shouldRunAnAssignedJobAndReportItsOutputWithItsAttempt() {
        List<Assignment> handled = new CopyOnWriteArrayList<>();
        NodeAgent agent = agent(assignment -> {
            handled.add(assignment);
            return JSON.createObjectNode().put("echo", assignment.payload().path("prompt").asText());
        });
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.polls("n1").isEmpty());

        gateway.assign("n1", Job.of("j1").attempt(2));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(gateway.results("j1")).singleElement().satisfies(result -> {
            assertThat(result.body()).isEqualTo(json("{\"nodeId\":\"n1\",\"attempt\":2,\"output\":{\"echo\":\"j1\"}}"));
            assertThat(result.authorization()).isEqualTo("Bearer tok-n1-0");
        });
        assertThat(handled).singleElement().satisfies(assignment -> {
            assertThat(assignment.nodeId()).isEqualTo("n1");
            assertThat(assignment.jobId()).isEqualTo("j1");
            assertThat(assignment.model()).isEqualTo("llama-3-8b");
            assertThat(assignment.payload()).isEqualTo(json("{\"prompt\":\"j1\"}"));
            assertThat(assignment.attempt()).isEqualTo(2);
            assertThat(assignment.leaseExpiresAt()).isGreaterThan(System.currentTimeMillis());
        });
        assertThat(agent.counters().assignmentsReceived()).isEqualTo(1);
        assertThat(gateway.failures("j1")).isEmpty();
    }

    @Test
    void shouldPollOnlyOnceRegisteredWithTheNodeTokenAndTheWaitAndPollAgainAfterReporting() {
        NodeAgent agent = agent(assignment -> null);
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.polls("n1").isEmpty());

        gateway.assign("n1", Job.of("j1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.polls("n1").size() >= 2);
        assertThat(gateway.received().get(0).method()).isEqualTo("PUT");
        assertThat(gateway.polls("n1")).allSatisfy(poll -> {
            assertThat(poll.authorization()).isEqualTo("Bearer tok-n1-0");
            assertThat(poll.query()).isEqualTo("waitMs=500");
        });
        assertThat(gateway.results("j1")).singleElement()
                .satisfies(result -> assertThat(result.body().get("output").isNull()).isTrue());
        assertThat(gateway.polls("n1").get(1).atNanos()).isGreaterThan(gateway.results("j1").get(0).atNanos());
    }

    @Test
    void shouldReportAFailureWithTheMessageOfWhatTheHandlerThrew() {
        NodeAgent agent = agent(assignment -> {
            throw new IllegalStateException("model llama-3-8b is not loaded");
        });
        agent.start();

        gateway.assign("n1", Job.of("j1").attempt(3));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsFailed() == 1);
        assertThat(gateway.failures("j1")).singleElement().satisfies(failure -> {
            assertThat(failure.body())
                    .isEqualTo(json("{\"nodeId\":\"n1\",\"attempt\":3,\"error\":\"model llama-3-8b is not loaded\"}"));
            assertThat(failure.authorization()).isEqualTo("Bearer tok-n1-0");
        });
        assertThat(gateway.results("j1")).isEmpty();
        assertThat(agent.counters().jobsSucceeded()).isZero();
    }

    @Test
    void shouldCutALongErrorMessageTo1000CharactersAndNameTheExceptionWithoutOne() {
        NodeAgent agent = agent(assignment -> {
            if (assignment.jobId().equals("long")) {
                throw new IllegalArgumentException("x".repeat(1_500));
            }
            throw new NullPointerException();
        });
        agent.start();

        gateway.assign("n1", Job.of("long"), Job.of("bare"));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsFailed() == 2);
        assertThat(gateway.failures("long").get(0).body().path("error").asText()).isEqualTo("x".repeat(1_000));
        assertThat(gateway.failures("bare").get(0).body().path("error").asText())
                .isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void shouldReportAFailureWhenTheOutputCannotBeWrittenAsJson() {
        NodeAgent agent = agent(assignment -> new POJONode(new Object()));
        agent.start();

        gateway.assign("n1", Job.of("j1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsFailed() == 1);
        assertThat(gateway.failures("j1").get(0).body().path("error").asText())
                .startsWith("the output of job 'j1' (attempt 1) of node 'n1' cannot be written as JSON: ");
        assertThat(gateway.results("j1")).isEmpty();
    }

    @Test
    void shouldRunTwoJobsOfOneAnswerInOrderOneAfterTheOtherWithoutPollingWhileBusy() {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        NodeAgent agent = agent(assignment -> {
            events.add("start " + assignment.jobId());
            if (assignment.jobId().equals("j1")) {
                firstMayEnd.await();
            }
            events.add("end " + assignment.jobId());
            return null;
        });
        agent.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.polls("n1").isEmpty());

        gateway.assign("n1", Job.of("j1"), Job.of("j2"));

        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("start j1"));
        int polls = gateway.polls("n1").size();
        // the slot is busy: j2 waits in the queue and no poll goes out, though polls are held only 500 ms
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> !events.contains("start j2") && gateway.polls("n1").size() == polls);
        firstMayEnd.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 2);
        assertThat(events).containsExactly("start j1", "end j1", "start j2", "end j2");
        assertThat(gateway.results("j1").get(0).atNanos()).isLessThan(gateway.results("j2").get(0).atNanos());
        assertThat(agent.counters().assignmentsReceived()).isEqualTo(2);
    }

    @Test
    void shouldRunJobsOfOneNodeSideBySideUpToItsConcurrency() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .jobs(assignment -> {
                    running.incrementAndGet();
                    release.await();
                    return null;
                })
                .jobConcurrency(2)
                .assignmentWait(Duration.ofMillis(500)));
        agent.start();

        gateway.assign("n1", Job.of("j1"), Job.of("j2"), Job.of("j3"));

        await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> running.get() == 2);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 3);
    }

    @Test
    void shouldLeaveTheReportedStateAloneWhileAJobRuns() {
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
        int before = gateway.heartbeatsOf("n1").size();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= before + 3);

        assertThat(gateway.heartbeatsOf("n1")).extracting(beat -> beat.body().path("state").asText())
                .containsOnly("idle");
        assertThat(agent.state("n1")).isEqualTo(NodeState.IDLE);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
    }

    @Test
    void shouldNeverPollWithoutAJobHandler() {
        NodeAgent agent = fixture.agent("n1");
        agent.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.heartbeatsOf("n1").size() >= 3);

        assertThat(gateway.polls("n1")).isEmpty();
    }

    @Test
    void shouldStopPollingPromptlyWhenClosedDuringAHeldPoll() throws InterruptedException {
        // a client the agent does not shut down, so only the agent itself can stop the polls
        try (HttpClient shared = HttpClient.newHttpClient()) {
            NodeAgent agent = fixture.build(fixture.builder().node(TestNodes.spec("n1")).httpClient(shared)
                    .jobs(assignment -> null));
            agent.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.polls("n1").size() == 1);

            long closing = System.nanoTime();
            agent.close();

            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(1));
            AtomicInteger seen = new AtomicInteger(gateway.received().size());
            await().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                    .until(() -> seen.getAndSet(gateway.received().size()) == gateway.received().size());
            assertThat(gateway.polls("n1")).hasSize(1);
            await().atMost(Duration.ofSeconds(2)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().equals("node-agent-n1")));
            // the held poll was aborted: nothing is left for the client to finish (it would wait out the 10 s)
            shared.shutdown();
            assertThat(shared.awaitTermination(Duration.ofSeconds(2))).isTrue();
        }
    }

    @Test
    void shouldInterruptARunningHandlerWhenClosedAndNotReportIt() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        NodeAgent agent = agent(assignment -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return null;
        });
        agent.start();
        gateway.assign("n1", Job.of("j1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);

        agent.close();

        await().atMost(Duration.ofSeconds(2)).until(() -> interrupted.getCount() == 0);
        assertThat(gateway.failures("j1")).isEmpty();
        assertThat(gateway.results("j1")).isEmpty();
    }

    private NodeAgent agent(JobHandler handler) {
        return fixture.build(fixture.builder().node(TestNodes.spec("n1")).jobs(handler)
                .assignmentWait(Duration.ofMillis(500)));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

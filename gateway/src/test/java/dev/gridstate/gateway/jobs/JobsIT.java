package dev.gridstate.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.store.Figures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise of jobs, on a whole region with a fleet of real agents: every job submitted
 * succeeds, once from the user's view, also when a gateway replica stops in the middle of the
 * work or the regional Redis is lost and comes back empty. Figures go to
 * {@code target/job-figures.txt}.
 */
class JobsIT {

    private static final Logger LOG = LoggerFactory.getLogger(JobsIT.class);
    private static final Path FIGURES = Path.of("target", "job-figures.txt");
    private static final int NODES = 40;

    private JobFleet fleet;

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @DisplayName("600 jobs through two replicas, after 200 to warm up: every one succeeds, on its first attempt, run once, and nothing is left in the queues")
    void shouldRunEveryJobExactlyOnce() throws Exception {
        fleet = JobFleet.start(NODES, 5, Map.of());
        // A round of 200 first, so the figures below are of warm JVMs (and the same in any test order).
        List<String> warmUp = fleet.submit("warm-up", 200, 32);
        await("the warm-up jobs succeeded").atMost(Duration.ofSeconds(60)).until(() -> fleet.succeeded(warmUp, 0) == 200);
        fleet.runs().clear();
        int jobs = 600;
        // Held at the nodes until all are in: the intake rate alone, then the rate the replicas
        // hand out, run (5 ms) and acknowledge a backlog.
        fleet.hold();
        long started = System.nanoTime();
        List<String> ids = fleet.submit("once", jobs, 32);
        long submitted = System.nanoTime();
        fleet.release();
        await("all jobs succeeded").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> fleet.succeeded(ids, 0) == jobs);
        new Figures("jobs-exactly-once", FIGURES).put("jobs", jobs).put("nodes", NODES).put("workMs", 5)
                .millis("submitMs", started, submitted)
                .put("submittedPerSecond", Math.round(jobs / ((submitted - started) / 1e9)))
                .millis("drainMs", submitted, fleet.lastRunEnded())
                .put("drainedPerSecond", Math.round(jobs / ((fleet.lastRunEnded() - submitted) / 1e9)))
                .publish(LOG);

        Map<String, JsonNode> statuses = fleet.statuses(ids, 1);
        assertThat(statuses).hasSize(jobs);
        statuses.forEach((id, s) -> {
            assertThat(s.path("state").asText()).as(id).isEqualTo("succeeded");
            assertThat(s.path("attempt").asInt()).as(id + " attempts").isEqualTo(1);
            assertThat(s.has("duplicates")).as(id + " duplicates").isFalse();
            assertThat(s.path("output").path("node").asText()).as(id + " output").isEqualTo(s.path("node").asText());
        });
        assertThat(fleet.runs()).hasSize(jobs);
        assertThat(fleet.runs().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        await("every message acknowledged").atMost(Duration.ofSeconds(10)).until(() -> fleet.messagesLeft(0, 1) == 0);
    }

    @Test
    @DisplayName("a replica stopped while it holds some of 300 jobs: every job still succeeds, on the other replica, none run or reported twice")
    void shouldFinishEveryJobWhenAReplicaStops() throws Exception {
        fleet = JobFleet.start(NODES, 1000, Map.of());
        int jobs = 300;
        List<String> ids = fleet.submit("stop", jobs, 8);
        await("a quarter of the jobs started").atMost(Duration.ofSeconds(60)).until(() -> fleet.started() >= jobs / 4);
        JobDispatcher stopping = fleet.region().gateway(1).context().getBean(JobDispatcher.class);
        int heldAtStop = stopping.held();
        int startedAtStop = fleet.started();
        long failoverLoops = threadsNamed("failover");
        long fault = System.nanoTime();
        fleet.region().gateway(1).close();
        // Nothing of the stopped replica comes back to life: it once did, through a scheduled sweep
        // that created its beans again during the shutdown, and its failover loop ran on.
        await("the stopped replica's failover loop gone, and gone for good").atMost(Duration.ofSeconds(10))
                .during(Duration.ofSeconds(2)).until(() -> threadsNamed("failover") == failoverLoops - 1);
        await("all jobs succeeded").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> fleet.succeeded(ids, 0) == jobs);

        Map<String, JsonNode> statuses = fleet.statuses(ids, 0);
        new Figures("jobs-replica-stopped", FIGURES).put("jobs", jobs).put("heldByStoppedReplica", heldAtStop)
                .put("startedAtStop", startedAtStop).millis("faultToLastJobMs", fault, fleet.lastRunEnded())
                .put("maxAttempt", statuses.values().stream().mapToInt(s -> s.path("attempt").asInt()).max().orElse(0))
                .publish(LOG);
        assertThat(statuses.values()).allSatisfy(s -> {
            assertThat(s.path("state").asText()).isEqualTo("succeeded");
            assertThat(s.has("duplicates")).as(s.path("jobId").asText() + " reported twice").isFalse();
            // the survivor adopts attempts still running: a stopped replica costs no job an attempt
            assertThat(s.path("attempt").asInt()).as(s.path("jobId").asText() + " attempts").isEqualTo(1);
        });
        assertThat(fleet.runs().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(heldAtStop).as("the stopped replica held jobs when it stopped").isPositive();
        await("every message acknowledged").atMost(Duration.ofSeconds(10)).until(() -> fleet.messagesLeft(0) == 0);

    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name)).count();
    }

    @Test
    @DisplayName("the regional Redis killed while 300 jobs run, then restarted empty: every job succeeds once from the user's view after the nodes re-register")
    void shouldFinishEveryJobWhenTheRegionalRedisIsLost() throws Exception {
        fleet = JobFleet.start(NODES, 1000, Map.of("gateway.jobs.lease", "5s"));
        int jobs = 300;
        List<String> ids = fleet.submit("redis", jobs, 8);
        await("a quarter of the jobs started").atMost(Duration.ofSeconds(60)).until(() -> fleet.started() >= jobs / 4);
        long fault = System.nanoTime();
        int startedAtFault = fleet.started();
        fleet.region().regional().kill();
        await("a replica serving from central").atMost(Duration.ofSeconds(5))
                .until(() -> "central".equals(fleet.http(0).get("/v1/jobs/" + ids.get(0)).raw().headers()
                        .firstValue("X-State-Source").orElse("")));
        long restart = System.nanoTime();
        fleet.region().regional().restart();
        fleet.awaitAllSucceeded(ids, Duration.ofSeconds(120));

        Map<String, JsonNode> statuses = fleet.statuses(ids, 1);
        int ranAgain = fleet.runs().values().stream().mapToInt(AtomicInteger::get).map(n -> n - 1).sum();
        long reportedLate = statuses.values().stream().mapToLong(s -> s.path("duplicates").asLong()).sum();
        new Figures("jobs-regional-redis-lost", FIGURES).put("jobs", jobs).put("startedAtFault", startedAtFault)
                .millis("faultToRestartMs", fault, restart).millis("faultToLastJobMs", fault, fleet.lastRunEnded())
                .millis("restartToLastJobMs", restart, fleet.lastRunEnded())
                .put("runsBeyondOne", ranAgain).put("lateResultsIgnored", reportedLate)
                .publish(LOG);

        assertThat(statuses).hasSize(jobs);
        assertThat(statuses.values()).allSatisfy(s -> assertThat(s.path("state").asText()).isEqualTo("succeeded"));
        await("every message acknowledged").atMost(Duration.ofSeconds(20)).until(() -> fleet.messagesLeft(0, 1) == 0);
    }
}

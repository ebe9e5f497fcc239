package dev.gridstate.agent;

import dev.gridstate.agent.FakeGateway.Job;
import dev.gridstate.agent.FakeGateway.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static dev.gridstate.agent.JobTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeaseRenewalTest {

    @RegisterExtension
    final AgentFixture fixture = new AgentFixture();
    private final FakeGateway gateway = fixture.gateway();
    private final RecordingListener listener = fixture.listener();
    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void shouldRenewTheLeaseEveryThirdOfItWhileASlowHandlerRunsAndStopOnceItReturns() {
        NodeAgent agent = agent();
        agent.start();

        gateway.assign("n1", Job.of("j1").attempt(2).leaseMs(450));

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.leaseRenewals("j1").size() >= 4);
        List<Received> renewals = gateway.leaseRenewals("j1");
        assertThat(renewals).allSatisfy(renewal -> {
            assertThat(renewal.body()).isEqualTo(json("{\"nodeId\":\"n1\",\"attempt\":2}"));
            assertThat(renewal.authorization()).isEqualTo("Bearer tok-n1-0");
        });
        for (int i = 1; i < renewals.size(); i++) {
            // every 150 ms, before the 450 ms lease runs out
            assertThat(Duration.ofNanos(renewals.get(i).atNanos() - renewals.get(i - 1).atNanos()))
                    .isBetween(Duration.ofMillis(120), Duration.ofMillis(449));
        }
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(agent.counters().leaseRenewals()).isGreaterThanOrEqualTo(4);
        assertQuiet(() -> gateway.leaseRenewals("j1").size());
    }

    @Test
    void shouldStopRenewingWhenTheLeaseIsLostButStillReportTheResult() {
        NodeAgent agent = agent();
        agent.start();
        gateway.assign("n1", Job.of("j1").leaseMs(300));
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.leaseRenewals("j1").size() >= 2);

        gateway.loseLease("j1");

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().leasesLost() == 1);
        // renewals were every 100 ms: four intervals without one show they stopped
        assertQuiet(() -> gateway.leaseRenewals("j1").size());
        assertThat(listener.leasesLost).containsExactly("n1/j1");
        assertThat(gateway.results("j1")).isEmpty();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
        assertThat(gateway.results("j1")).hasSize(1);
        assertThat(agent.counters().rejections()).isZero();
    }

    @Test
    void shouldRenewAJobWaitingInTheQueueAsWellAsTheOneRunning() {
        NodeAgent agent = agent();
        agent.start();

        gateway.assign("n1", Job.of("j1").leaseMs(300), Job.of("j2").leaseMs(300));

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.leaseRenewals("j2").size() >= 3);
        assertThat(gateway.results("j1")).isEmpty();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 2);
    }

    @Test
    void shouldTryAFailedRenewalAgainOnTheNextTick() {
        AtomicInteger failed = new AtomicInteger();
        gateway.override(request -> request.path().endsWith("/lease") && failed.getAndIncrement() < 2
                ? FakeGateway.Reply.of(503, "{\"error\":\"unavailable\"}") : null);
        NodeAgent agent = agent();
        agent.start();

        gateway.assign("n1", Job.of("j1").leaseMs(300));

        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().leaseRenewals() >= 2);
        assertThat(gateway.leaseRenewals("j1").size()).isGreaterThanOrEqualTo(4);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.counters().jobsSucceeded() == 1);
    }

    private NodeAgent agent() {
        return fixture.build(fixture.builder().node(TestNodes.spec("n1"))
                .jobs(assignment -> {
                    release.await();
                    return null;
                })
                .assignmentWait(Duration.ofMillis(500)));
    }

    /** Waits until the count has not changed for 400 ms. */
    private static void assertQuiet(IntSupplier count) {
        AtomicInteger seen = new AtomicInteger(count.getAsInt());
        await().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3))
                .until(() -> seen.getAndSet(count.getAsInt()) == count.getAsInt());
    }
}

package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import dev.gridstate.testkit.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replicator's broker connection is cut twice while messages flow: the client reconnects and
 * subscribes again, deliveries of the lost channel (acknowledged too late, or delivered again)
 * do no harm, and central converges.
 */
class BrokerConnectionLossIT {

    private static final String REGION = "eu-west";
    private static final int UPDATES = 200;
    private static final Duration PATIENCE = Duration.ofSeconds(25);
    private static final Duration PACE = Duration.ofMillis(10);
    private static RedisServer central;
    private static ChangeTopology topology;

    @BeforeAll
    static void start() {
        central = RedisServer.startCentral();
        topology = TestBroker.uniqueTopology(REGION);
    }

    @AfterAll
    static void cleanUp() {
        central.close();
        TestBroker.deleteAll(List.of(topology), REGION);
    }

    @Test
    @DisplayName("after the broker connection is cut mid-stream, the replicator resubscribes and central converges")
    void resubscribesAfterTheConnectionIsCutAndConverges() throws URISyntaxException {
        URI broker = new URI(RabbitBroker.shared().uri());
        try (TestRegion region = new TestRegion(REGION, topology);
             TcpProxy proxy = TcpProxy.to(broker.getPort());
             TestReplicator replicator = TestReplicator.start(topology, central, List.of(REGION),
                     Map.of("rabbitmq.uri", throughProxy(broker, proxy.port())))) {
            await().atMost(PATIENCE).until(() -> replicator.status(REGION).consuming());
            region.registerNode("n1", "gpu-a");
            region.publishNodes("n1");
            SeqWatch watch = new SeqWatch(central, region.keys().node("n1"));
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> publishUpdates(region));

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> watch.seq() >= 30);
            cutAndAwaitRecovery(proxy, replicator);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> watch.seq() >= 120);
            cutAndAwaitRecovery(proxy, replicator);

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> watch.seq() == UPDATES);
            stream.join();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(region.replicated(central)).isEqualTo(region.replicatedHere());
                assertThat(replicator.status(REGION).consuming()).isTrue();
                assertThat(replicator.get("/health").status()).isEqualTo(200);
            });
            assertThat(replicator.status(REGION).appliedMessages()).isGreaterThanOrEqualTo(UPDATES + 1);
            assertThat(replicator.status(REGION).rejectedMessages()).isZero();
            assertThat(watch.wentBack()).isFalse();
        }
    }

    @Test
    @DisplayName("with the broker unreachable, /health is DOWN and the replicator still stops within seconds")
    void reportsDownAndStopsQuicklyWhileTheBrokerIsUnreachable() throws URISyntaxException {
        URI broker = new URI(RabbitBroker.shared().uri());
        try (TestRegion region = new TestRegion(REGION, topology);
             TcpProxy proxy = TcpProxy.to(broker.getPort());
             TestReplicator replicator = TestReplicator.start(topology, central, List.of(REGION),
                     Map.of("rabbitmq.uri", throughProxy(broker, proxy.port())))) {
            await().atMost(PATIENCE).until(() -> replicator.status(REGION).consuming());
            region.registerNode("n1", "gpu-a");
            region.publishNodes("n1");
            await().atMost(PATIENCE).until(() -> replicator.status(REGION).appliedMessages() == 1);

            proxy.close();

            await().atMost(PATIENCE).untilAsserted(() -> {
                TestReplicator.Answer health = replicator.get("/health");
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.body()).contains("\"rabbitmq\":{\"name\":\"replicator\",\"status\":\"DOWN\"");
            });
            long closing = System.nanoTime();
            replicator.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static void cutAndAwaitRecovery(TcpProxy proxy, TestReplicator replicator) {
        proxy.cut();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> !replicator.status(REGION).consuming());
        proxy.restore();
        await().atMost(PATIENCE).until(() -> replicator.status(REGION).consuming());
    }

    private static String throughProxy(URI broker, int port) throws URISyntaxException {
        return new URI(broker.getScheme(), broker.getUserInfo(), broker.getHost(), port, broker.getPath(), null, null)
                .toString();
    }

    private static void publishUpdates(TestRegion region) {
        for (int seq = 1; seq <= UPDATES; seq++) {
            region.updateNode("n1", "seq", Integer.toString(seq));
            region.publishNodes("n1");
            LockSupport.parkNanos(PACE.toNanos());
        }
    }
}

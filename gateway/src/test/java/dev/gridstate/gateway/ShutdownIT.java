package dev.gridstate.gateway;

import dev.gridstate.testkit.RedisServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stopped gateway leaves nothing running: every thread of its own ends with its context, and
 * stays ended while its periodic tasks would have run many times. (The one way a busy replica
 * came back to life after its stop, a scheduled sweep during the shutdown, is checked under
 * load by JobsIT; an idle gateway stops too fast to show it.)
 */
class ShutdownIT {

    private static final Set<String> OWN_THREADS = Set.of("failover", "job-dispatch", "change-publisher",
            "change-exporter", "job-publisher", "assignment-polls");

    @Test
    @DisplayName("a closed gateway's own threads are gone, and stay gone, while its periodic tasks would have run many times")
    void shouldLeaveNoThreadBehind() {
        long before = ownThreads();
        try (RedisServer regional = RedisServer.startRegional(); RedisServer central = RedisServer.startCentral()) {
            TestGateway gateway = TestGateway.start("shutdown-test", regional, central,
                    Map.of("gateway.registry.sweep-interval", "5ms", "gateway.events.keep-alive", "5ms"));
            assertThat(ownThreads()).as("the gateway's threads while it runs").isGreaterThan(before);
            gateway.close();
            await("its threads gone").atMost(Duration.ofSeconds(10)).until(() -> ownThreads() == before);
            // The sweep would have run a hundred times in this second: none may start the gateway again.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> ownThreads() == before);
        }
    }

    private static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && OWN_THREADS.contains(t.getName())).count();
    }
}

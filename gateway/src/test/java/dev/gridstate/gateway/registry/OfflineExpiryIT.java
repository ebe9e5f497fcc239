package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Heartbeat TTL 1 s, interval 300 ms, sweep every 100 ms: expiry is seen in seconds, not minutes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineExpiryIT {

    private static final String R = TestRegion.KEYS;
    private static final Duration TTL = Duration.ofSeconds(1);

    private TestRegion region;
    private RedisServer regional;
    private Http http;
    private ScheduledExecutorService beats;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of(
                "gateway.registry.heartbeat-interval", "300ms",
                "gateway.registry.heartbeat-ttl", TTL.toMillis() + "ms",
                "gateway.registry.sweep-interval", "100ms"));
        regional = region.regional();
        http = region.http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void empty() {
        region.reset();
        beats = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopBeating() {
        beats.shutdownNow();
    }

    @Test
    @DisplayName("a node that stops heart-beating is offline in every answer and every index within 1 s of its TTL")
    void shouldGoOfflineEverywhere() {
        http.put("/v1/nodes/alive", Nodes.spec(50000));
        http.put("/v1/nodes/silent", Nodes.spec(80000));
        beats.scheduleAtFixedRate(() -> http.post("/v1/nodes/alive/heartbeat", "{\"state\":\"idle\"}"),
                0, 300, TimeUnit.MILLISECONDS);
        long lastBeat = System.nanoTime();
        assertThat(RegistryIT.ids(http.get("/v1/nodes?model=llama-3-8b"))).containsExactly("silent", "alive");

        await().atMost(TTL.plusSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(http.get("/v1/nodes/silent").json().get("status").asText()).isEqualTo("offline");
            assertThat(RegistryIT.ids(http.get("/v1/nodes?model=llama-3-8b"))).containsExactly("alive");
            assertThat(indexesHolding("silent")).isZero();
        });
        long offlineAfterMs = Duration.ofNanos(System.nanoTime() - lastBeat).toMillis();

        assertThat(offlineAfterMs).isGreaterThanOrEqualTo(TTL.toMillis() - 50);
        RedisCommands<String, String> redis = regional.commands();
        assertThat(redis.hget(R + "node:silent", "offlineAt")).isNotNull();
        assertThat(redis.pttl(R + "node:silent")).isPositive();
        assertThat(http.get("/v1/nodes/alive").json().get("status").asText()).isEqualTo("online");
        assertThat(indexesHolding("alive")).isEqualTo(4);
    }

    @Test
    @DisplayName("a node that was swept offline comes back into its indexes with its next heartbeat")
    void shouldRejoinOnHeartbeat() {
        http.put("/v1/nodes/n1", Nodes.spec(80000));
        await().atMost(TTL.plusSeconds(1)).until(() -> indexesHolding("n1") == 0);

        Http.Answer answer = http.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\",\"freeMemoryMb\":4000}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(http.get("/v1/nodes/n1").json().get("status").asText()).isEqualTo("online");
        assertThat(indexesHolding("n1")).isEqualTo(4);
        assertThat(regional.commands().zscore(R + "model:llama-3-8b", "n1")).isEqualTo(4000.0);
        assertThat(regional.commands().hget(R + "node:n1", "offlineAt")).isNull();
        assertThat(regional.commands().pttl(R + "node:n1")).isEqualTo(-1);
    }

    /** How many of the node's indexes (free, model, model@version, tier label) hold it. */
    private int indexesHolding(String id) {
        RedisCommands<String, String> redis = regional.commands();
        int n = 0;
        n += redis.zscore(R + "free", id) != null ? 1 : 0;
        n += redis.zscore(R + "model:llama-3-8b", id) != null ? 1 : 0;
        n += redis.zscore(R + "modelv:llama-3-8b@q4", id) != null ? 1 : 0;
        n += redis.sismember(R + "label:tier=gold", id) ? 1 : 0;
        return n;
    }
}

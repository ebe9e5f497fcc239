package dev.gridstate.gateway.events;

import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway's one subscription survives the loss of the regional Redis, and subscribers learn of the gap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventReconnectIT {

    private static final String CHANNEL = TestRegion.KEYS + "events";

    private TestRegion region;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("after the regional Redis restarts, the stream says resync and carries new changes again")
    void shouldResubscribeAfterRedisRestartsAndAskSubscribersToResync() {
        try (SseClient reader = SseClient.open(region.gateway(0).uri().resolve("/v1/events")).awaitLive()) {
            region.regional().commands().publish(CHANNEL, "{\"nodeId\":\"before\",\"type\":\"online\",\"at\":1}");
            assertThat(reader.next(Duration.ofSeconds(5)).nodeId()).isEqualTo("before");

            region.regional().kill();
            region.regional().restart();
            List<SseClient.Frame> frames = reader.until(f -> "resync".equals(f.event()), Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> region.regional().commands().publish(CHANNEL, "{\"nodeId\":\"after\",\"type\":\"online\",\"at\":2}") == 1);
            SseClient.Frame after = reader.until(f -> f.data() != null, Duration.ofSeconds(5)).get(0);

            assertThat(frames).filteredOn(f -> f.data() != null).hasSize(1);
            assertThat(frames.get(frames.size() - 1).json().path("region").asText()).isEqualTo(TestRegion.NAME);
            assertThat(after.nodeId()).isEqualTo("after");
            assertThat(after.event()).isEqualTo("online");
        }
    }
}

package dev.gridstate.gateway.events;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What protects a gateway from its subscribers: the slot limit, keep-alives, and cutting off a stalled reader. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestRegion region;
    private TestGateway gateway;
    private MeterRegistry meters;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of("gateway.events.max-subscribers", 2, "gateway.events.keep-alive", "200ms",
                "gateway.events.stall-timeout", "1s", "gateway.events.retry-after", "7s"));
        gateway = region.gateway(0);
        meters = gateway.context().getBean(MeterRegistry.class);
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void everySlotFree() {
        await().atMost(WAIT).until(() -> subscribers() == 0);
    }

    @Test
    @DisplayName("past max-subscribers a client gets 503 too_many_subscribers with Retry-After, until a slot frees")
    void shouldTurnAwayASubscriberPastTheLimit() {
        try (SseClient first = SseClient.open(gateway.uri().resolve("/v1/events")).awaitLive();
             SseClient second = SseClient.open(gateway.uri().resolve("/v1/events")).awaitLive()) {

            Http.Answer third = gateway.http().get("/v1/events");

            assertThat(third.status()).isEqualTo(503);
            assertThat(third.raw().headers().firstValue("Retry-After")).hasValue("7");
            assertThat(third.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(third.json().path("error").asText()).isEqualTo("too_many_subscribers");
            assertThat(third.json().path("message").asText()).contains("2 subscribers");
            assertThat(meters.get("gateway.events.rejected").counter().count()).isPositive();
            first.close();
            await().atMost(WAIT).until(() -> subscribers() == 1);
            try (SseClient again = SseClient.open(gateway.uri().resolve("/v1/events")).awaitLive()) {
                assertThat(subscribers()).isEqualTo(2);
            }
        }
    }

    @Test
    @DisplayName("an idle stream gets a keep-alive comment every keep-alive interval")
    void shouldKeepAnIdleStreamAliveWithComments() {
        try (SseClient reader = SseClient.open(gateway.uri().resolve("/v1/events")).awaitLive()) {

            SseClient.Frame first = reader.next(Duration.ofSeconds(2));
            SseClient.Frame second = reader.next(Duration.ofSeconds(2));

            assertThat(first.comment()).isEqualTo("keep-alive");
            assertThat(second.comment()).isEqualTo("keep-alive");
            assertThat(first.data()).isNull();
        }
    }

    @Test
    @DisplayName("a reader that takes nothing for stall-timeout while events wait is cut off and its slot freed")
    void shouldCutOffAStalledReader() {
        double stalledBefore = meters.get("gateway.events.stalled").counter().count();
        try (SseClient reader = SseClient.open(gateway.uri().resolve("/v1/events")).awaitLive()) {
            reader.pause();
            Backlog.fill(region.regional().commands(), meters, 20);

            await().atMost(WAIT).until(() -> meters.get("gateway.events.stalled").counter().count() > stalledBefore);

            assertThat(subscribers()).isZero();
            assertThat(waiting()).isZero();
            reader.resume();
            await().atMost(WAIT).until(reader::ended);
        }
    }

    private double subscribers() {
        return meters.get("gateway.events.subscribers").gauge().value();
    }

    private double waiting() {
        return Backlog.waiting(meters);
    }
}

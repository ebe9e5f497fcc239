package dev.gridstate.gateway.events;

import dev.gridstate.gateway.TestRegion;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stalls a paused reader for real: publishes events for distinct nodes (large ones while nothing
 * waits, to fill the connection's socket buffers) until the gateway holds at least {@code n}
 * events for its subscribers ({@code gateway.events.waiting}) and keeps holding them: a backlog
 * that only means the gateway lags behind the publisher drains within {@link #HOLD}.
 */
final class Backlog {

    static final String FILLER = "filler-";
    private static final Duration HOLD = Duration.ofMillis(300);
    private static final int MAX_EVENTS = 20_000;
    private static final String PAD = "x".repeat(16_000);

    private Backlog() {
    }

    /** Returns how many filler events it published. */
    static int fill(RedisCommands<String, String> redis, MeterRegistry meters, int n) {
        int published = 0;
        do {
            while (waiting(meters) < n) {
                assertThat(published).as("fillers published without the gateway holding %d events", n).isLessThan(MAX_EVENTS);
                boolean padded = waiting(meters) == 0;
                redis.publish(TestRegion.KEYS + "events", "{\"nodeId\":\"" + FILLER + published
                        + "\",\"type\":\"state\",\"at\":1,\"state\":\"busy\"" + (padded ? ",\"pad\":\"" + PAD + "\"" : "") + "}");
                published++;
            }
        } while (!holds(meters, n));
        return published;
    }

    static double waiting(MeterRegistry meters) {
        return meters.get("gateway.events.waiting").gauge().value();
    }

    private static boolean holds(MeterRegistry meters, int n) {
        try {
            await().during(HOLD).atMost(HOLD.multipliedBy(2)).until(() -> waiting(meters) >= n);
            return true;
        } catch (ConditionTimeoutException e) {
            // the reader's socket took more after all: the backlog was the gateway lagging
            return false;
        }
    }
}

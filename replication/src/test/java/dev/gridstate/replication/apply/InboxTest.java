package dev.gridstate.replication.apply;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class InboxTest {

    private final Inbox inbox = new Inbox();

    @Test
    void takesWhatIsWaitingInOrderUpToTheMessageLimit() throws InterruptedException {
        add("a", "b", "c");

        assertThat(bodies(inbox.take(2, Long.MAX_VALUE, Duration.ZERO))).containsExactly("a", "b");
        assertThat(bodies(inbox.take(2, Long.MAX_VALUE, Duration.ZERO))).containsExactly("c");
        assertThat(inbox.take(2, Long.MAX_VALUE, Duration.ofMillis(1))).isEmpty();
    }

    @Test
    void stopsBeforeTheSizeLimitButAlwaysTakesTheFirst() throws InterruptedException {
        add("x".repeat(10), "y".repeat(4), "z".repeat(4), "w");

        assertThat(bodies(inbox.take(64, 5, Duration.ZERO))).containsExactly("x".repeat(10));
        assertThat(bodies(inbox.take(64, 9, Duration.ZERO))).containsExactly("y".repeat(4), "z".repeat(4), "w");
    }

    private void add(String... bodies) {
        for (int i = 0; i < bodies.length; i++) {
            inbox.add(new Delivery(i + 1, bodies[i], null, OptionalLong.empty()));
        }
    }

    private static List<String> bodies(List<Delivery> batch) {
        return batch.stream().map(Delivery::body).toList();
    }
}

package dev.gridstate.gateway.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeTrackerTest {

    static ReplicationSettings settings(boolean enabled, int bufferMessages) {
        return new ReplicationSettings(enabled, "x", "q.", Duration.ofMillis(100), Duration.ofSeconds(1), 200,
                bufferMessages, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    private final ChangeTracker tracker = new ChangeTracker(settings(true, 10));

    @Test
    void aKeyMarkedManyTimesIsTakenOnceWithItsOldestChangeTime() throws InterruptedException {
        tracker.changed("{r}:node:n1");
        Map<String, Long> first = Map.copyOf(peek());
        Thread.sleep(2);
        tracker.changed("{r}:node:n1");

        Map<String, Long> taken = tracker.takeChanges();

        assertThat(taken).containsOnlyKeys("{r}:node:n1");
        assertThat(taken.get("{r}:node:n1")).isEqualTo(first.get("{r}:node:n1"));
        assertThat(tracker.takeChanges()).isEmpty();
        assertThat(tracker.pending()).isZero();
    }

    @Test
    void heartbeatsWaitApartFromOtherChanges() {
        tracker.beat("{r}:node:n1");
        tracker.changed("{r}:flag:n2:pause");

        assertThat(tracker.takeChanges()).containsOnlyKeys("{r}:flag:n2:pause");
        assertThat(tracker.takeHeartbeats()).containsOnlyKeys("{r}:node:n1");
    }

    @Test
    void entitiesPutBackAfterAFailedExportKeepTheOlderTime() {
        tracker.putBack(Map.of("{r}:node:n1", 100L));
        tracker.putBack(Map.of("{r}:node:n1", 50L, "{r}:node:n2", 70L));

        assertThat(tracker.takeChanges()).containsExactlyInAnyOrderEntriesOf(Map.of("{r}:node:n1", 50L, "{r}:node:n2", 70L));
    }

    @Test
    void aGatewayWithoutReplicationMarksNothing() {
        ChangeTracker off = new ChangeTracker(settings(false, 10));
        off.changed("{r}:node:n1");
        off.beat("{r}:node:n1");

        assertThat(off.pending()).isZero();
    }

    private Map<String, Long> peek() {
        Map<String, Long> taken = tracker.takeChanges();
        tracker.putBack(taken);
        return taken;
    }
}

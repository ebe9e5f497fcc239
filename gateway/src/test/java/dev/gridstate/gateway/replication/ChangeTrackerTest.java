package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.Source;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeTrackerTest {

    static ReplicationSettings settings(boolean enabled, int bufferMessages) {
        return new ReplicationSettings(enabled, "x", "q.", Duration.ofMillis(100), Duration.ofSeconds(1), 200,
                bufferMessages, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(3));
    }

    private final AtomicLong now = new AtomicLong(1_000);
    private final ChangeTracker tracker = new ChangeTracker(settings(true, 10), now::get);

    @Test
    void aKeyMarkedManyTimesIsTakenOnceWithItsOldestChangeTime() {
        tracker.changed("{r}:node:n1", Source.REGIONAL);
        now.set(2_000);
        tracker.changed("{r}:node:n1", Source.REGIONAL);

        Map<String, Long> taken = tracker.takeChanges();

        assertThat(taken).containsExactlyEntriesOf(Map.of("{r}:node:n1", 1_000L));
        assertThat(tracker.takeChanges()).isEmpty();
        assertThat(tracker.pending()).isZero();
    }

    @Test
    void heartbeatsWaitApartFromOtherChanges() {
        tracker.beat("{r}:node:n1", Source.REGIONAL);
        tracker.changed("{r}:flag:n2:pause", Source.REGIONAL);

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
        off.changed("{r}:node:n1", Source.REGIONAL);
        off.beat("{r}:node:n1", Source.REGIONAL);

        assertThat(off.pending()).isZero();
    }

    @Test
    void changesMadeOnCentralAreNotExported() {
        tracker.changed("{r}:node:n1", Source.CENTRAL);
        tracker.beat("{r}:node:n2", Source.CENTRAL);
        tracker.changed("{r}:node:n3", Source.REGIONAL);

        assertThat(tracker.takeChanges()).containsOnlyKeys("{r}:node:n3");
        assertThat(tracker.takeHeartbeats()).isEmpty();
    }
}

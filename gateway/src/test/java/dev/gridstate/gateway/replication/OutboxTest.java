package dev.gridstate.gateway.replication;

import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.ChangeMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Outbox outbox = new Outbox(ChangeTrackerTest.settings(true, 2), metrics);

    @Test
    void aFullOutboxDropsCountsFailsTheWaiterAndOwesAResync() {
        assertThat(outbox.offer(message("1"))).isTrue();
        assertThat(outbox.offer(message("2"))).isTrue();
        Outbox.Outgoing third = message("3");

        assertThat(outbox.offer(third)).isFalse();

        assertThat(third.confirmed()).isCompletedExceptionally();
        assertThat(outbox.dropped()).isEqualTo(1);
        assertThat(metrics.get("gateway.replication.dropped").counter().count()).isEqualTo(1.0);
        assertThat(metrics.get("gateway.replication.outbox").gauge().value()).isEqualTo(2.0);
        assertThat(outbox.takeResyncNeeded()).isTrue();
        assertThat(outbox.takeResyncNeeded()).as("owed once, until it fails again").isFalse();
    }

    @Test
    void messagesLeaveInTheOrderTheyCame() throws InterruptedException {
        outbox.offer(message("1"));
        outbox.offer(message("2"));

        List<Outbox.Outgoing> out = new ArrayList<>();
        out.add(outbox.poll(10));
        outbox.drainTo(out, 10);

        assertThat(out).extracting(o -> o.message().version()).containsExactly("1", "2");
        assertThat(outbox.poll(1)).isNull();
    }

    private static Outbox.Outgoing message(String version) {
        return Outbox.Outgoing.of(ChangeMessage.changes("eu-west", new ChangeLog.Export(version, "[]", 0), 1L));
    }
}

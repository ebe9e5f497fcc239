package dev.gridstate.gateway.events;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gridstate.gateway.events.CoalescingBuffer.Offer.COALESCED;
import static dev.gridstate.gateway.events.CoalescingBuffer.Offer.DROPPED_OLDEST;
import static dev.gridstate.gateway.events.CoalescingBuffer.Offer.QUEUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescingBufferTest {

    @Test
    void shouldKeepEveryChangeWhileFewerThanCoalesceAfterWait() {
        CoalescingBuffer buffer = new CoalescingBuffer(100, 3);
        NodeEvent busy = Events.state("n1", "busy");
        NodeEvent idle = Events.state("n1", "idle");
        NodeEvent busyAgain = Events.state("n1", "busy");

        assertThat(List.of(buffer.offer(busy), buffer.offer(idle), buffer.offer(busyAgain))).containsOnly(QUEUED);

        assertThat(drain(buffer)).containsExactly(busy, idle, busyAgain);
    }

    @Test
    void shouldReplaceTheWaitingEventOfTheSameNodeOnceCoalesceAfterWait() {
        CoalescingBuffer buffer = new CoalescingBuffer(100, 2);
        NodeEvent n1Busy = Events.state("n1", "busy");
        NodeEvent n2Busy = Events.state("n2", "busy");
        buffer.offer(n1Busy);
        buffer.offer(n2Busy);
        NodeEvent n1Idle = Events.state("n1", "idle");

        assertThat(buffer.offer(n1Idle)).isEqualTo(COALESCED);

        // the newest state takes the place of the latest change, so numbers still rise in order
        assertThat(drain(buffer)).containsExactly(n2Busy, n1Idle);
    }

    @Test
    void shouldHoldOneEventPerNodeAndAspectHoweverManyUpdatesCome() {
        CoalescingBuffer buffer = new CoalescingBuffer(100, 0);
        List<NodeEvent> updates = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            updates.add(Events.state("hot", i % 2 == 0 ? "busy" : "idle"));
        }
        NodeEvent other = Events.state("other", "busy");

        updates.subList(0, 250).forEach(buffer::offer);
        buffer.offer(other);
        updates.subList(250, 500).forEach(buffer::offer);

        assertThat(drain(buffer)).containsExactly(other, updates.get(499));
    }

    @Test
    void shouldNotMergeDifferentAspectsOfOneNode() {
        CoalescingBuffer buffer = new CoalescingBuffer(100, 0);
        NodeEvent online = Events.presence("n1", "online");
        NodeEvent busy = Events.state("n1", "busy");
        NodeEvent paused = Events.flag("n1", "pause", true);
        NodeEvent cooling = Events.flag("n1", "cooldown", true);

        assertThat(List.of(buffer.offer(online), buffer.offer(busy), buffer.offer(paused), buffer.offer(cooling)))
                .containsOnly(QUEUED);

        assertThat(drain(buffer)).containsExactly(online, busy, paused, cooling);
    }

    @Test
    void shouldEndWithTheNewestPresenceWhenANodeFlaps() {
        CoalescingBuffer buffer = new CoalescingBuffer(100, 0);
        buffer.offer(Events.presence("n1", "online"));
        buffer.offer(Events.presence("n1", "offline"));
        NodeEvent deregistered = Events.presence("n1", "deregistered");

        assertThat(buffer.offer(deregistered)).isEqualTo(COALESCED);

        assertThat(drain(buffer)).containsExactly(deregistered);
    }

    @Test
    void shouldDropTheOldestEventPastCapacity() {
        CoalescingBuffer buffer = new CoalescingBuffer(3, 0);
        NodeEvent first = Events.state("a", "busy");
        buffer.offer(first);
        NodeEvent b = Events.state("b", "busy");
        NodeEvent c = Events.state("c", "busy");
        buffer.offer(b);
        buffer.offer(c);

        NodeEvent d = Events.state("d", "busy");
        assertThat(buffer.offer(d)).isEqualTo(DROPPED_OLDEST);
        NodeEvent newerA = Events.state("a", "idle");
        assertThat(buffer.offer(newerA)).isEqualTo(DROPPED_OLDEST);

        assertThat(drain(buffer)).containsExactly(c, d, newerA);
    }

    @Test
    void shouldForgetAPolledEventSoTheNextOneForItsNodeIsQueuedAnew() {
        CoalescingBuffer buffer = new CoalescingBuffer(10, 0);
        buffer.offer(Events.state("n1", "busy"));
        buffer.poll();

        assertThat(buffer.offer(Events.state("n1", "idle"))).isEqualTo(QUEUED);
        assertThat(buffer.size()).isEqualTo(1);
    }

    @Test
    void shouldAnswerNullWhenNothingWaits() {
        assertThat(new CoalescingBuffer(1, 0).poll()).isNull();
    }

    @Test
    void shouldRefuseACoalesceThresholdAboveCapacity() {
        assertThatThrownBy(() -> new CoalescingBuffer(10, 11))
                .hasMessage("a coalescing buffer needs 0 <= coalesceAfter <= capacity and capacity >= 1, but had capacity 10 and coalesceAfter 11");
    }

    private static List<NodeEvent> drain(CoalescingBuffer buffer) {
        List<NodeEvent> out = new ArrayList<>();
        for (NodeEvent e = buffer.poll(); e != null; e = buffer.poll()) {
            out.add(e);
        }
        assertThat(buffer.size()).isZero();
        return out;
    }
}

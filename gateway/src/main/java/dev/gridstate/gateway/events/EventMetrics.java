package dev.gridstate.gateway.events;

import dev.gridstate.state.Keys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;

import java.util.function.Supplier;

/**
 * The event stream's meters, tagged with the region: {@code gateway.events.subscribers} and
 * {@code gateway.events.waiting} (gauges), and counters of events {@code received} from Redis,
 * {@code coalesced} (superseded before a slow subscriber took them), {@code dropped} (a
 * subscriber's buffer was full), {@code invalid} messages, subscribers {@code rejected} (no slot
 * free) and {@code stalled} (cut off).
 */
@Singleton
class EventMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter received;
    private final Counter invalid;
    private final Counter coalesced;
    private final Counter dropped;
    private final Counter rejected;
    private final Counter stalled;

    EventMetrics(MeterRegistry registry, Keys keys) {
        this.registry = registry;
        this.tags = Tags.of("region", keys.region());
        this.received = counter("gateway.events.received", "node events received from the region's Redis");
        this.invalid = counter("gateway.events.invalid", "messages on the events channel that were not node events");
        this.coalesced = counter("gateway.events.coalesced", "events superseded by a newer one for the same node before a slow subscriber took them");
        this.dropped = counter("gateway.events.dropped", "events dropped because a subscriber's buffer was full");
        this.rejected = counter("gateway.events.rejected", "subscribers turned away because every slot was taken");
        this.stalled = counter("gateway.events.stalled", "subscribers cut off for taking nothing for stall-timeout");
    }

    void bind(Supplier<Number> subscribers, Supplier<Number> waiting) {
        Gauge.builder("gateway.events.subscribers", subscribers).tags(tags)
                .description("open event streams of this process").register(registry);
        Gauge.builder("gateway.events.waiting", waiting).tags(tags)
                .description("events waiting for slow subscribers, summed over subscribers").register(registry);
    }

    void offered(CoalescingBuffer.Offer result) {
        switch (result) {
            case COALESCED -> coalesced.increment();
            case DROPPED_OLDEST -> dropped.increment();
            case QUEUED -> {
                // the usual case: nothing to count
            }
        }
    }

    void received() {
        received.increment();
    }

    /** Counts a message that was not a node event; returns how many came so far. */
    long invalid() {
        invalid.increment();
        return (long) invalid.count();
    }

    void rejected() {
        rejected.increment();
    }

    void stalled() {
        stalled.increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).tags(tags).description(description).register(registry);
    }
}

package dev.gridstate.gateway.events;

import dev.gridstate.gateway.Periodic;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.state.Keys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans the region's node events out to this process's subscribers. Events are numbered here, in
 * the order this process received them: the {@code id} of each SSE event. Holds at most
 * {@code max-subscribers} feeds; {@link #open} says no past that instead of throwing.
 */
@Singleton
class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final EventSettings settings;
    private final Periodic keepAlive;
    private final EventMetrics metrics;
    private final JsonMapper json;
    private final Keys keys;
    private final Clock clock = Clock.systemUTC();
    private final Set<EventFeed> feeds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slotsTaken = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();

    EventHub(EventSettings settings, EventMetrics metrics, JsonMapper json, Keys keys,
             @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.settings = settings;
        this.metrics = metrics;
        this.json = json;
        this.keys = keys;
        metrics.bind(slotsTaken::get, this::waiting);
        this.keepAlive = Periodic.every(scheduler, "event keep-alive", settings.keepAlive(), settings.keepAlive(), this::tick);
    }

    /**
     * A feed for one more subscriber, or empty when all {@code max-subscribers} slots are taken.
     * A subscriber that comes back after event {@code lastEventId} starts with a resync: nothing is
     * replayed.
     */
    Optional<EventFeed> open(EventFilter filter, @Nullable String lastEventId) {
        if (slotsTaken.incrementAndGet() > settings.maxSubscribers()) {
            slotsTaken.decrementAndGet();
            metrics.rejected();
            return Optional.empty();
        }
        EventFeed feed = new EventFeed(filter, new CoalescingBuffer(settings.bufferSize(), settings.coalesceAfter()),
                metrics, clock, settings.stallTimeout(),
                "node events of region " + keys.region() + " (" + filter + ")", this::closed);
        feeds.add(feed);
        if (lastEventId != null) {
            feed.offer(NodeEvent.resync(json, sequence.incrementAndGet(), clock.millis(), keys.region(),
                    "this stream does not replay the events a subscriber missed while it was away"));
        }
        return Optional.of(feed);
    }

    /** One message from the region's events channel; runs on the pub/sub thread, so never waits. */
    void publish(String message) {
        if (feeds.isEmpty()) {
            return;
        }
        Optional<NodeEvent> event = NodeEvent.parse(json, message, sequence::incrementAndGet);
        if (event.isEmpty()) {
            long invalid = metrics.invalid();
            if (invalid == 1 || invalid % 1000 == 0) {
                LOG.warn("region {}: ignored a message on {} that is not a node event ({} so far): {}",
                        keys.region(), keys.events(), invalid, Names.abbreviate(message));
            }
            return;
        }
        metrics.received();
        for (EventFeed feed : feeds) {
            feed.offer(event.get());
        }
    }

    /** The subscription to Redis came back after a gap: tell every subscriber to read again. */
    void resync() {
        NodeEvent event = NodeEvent.resync(json, sequence.incrementAndGet(), clock.millis(), keys.region(),
                "the gateway's subscription to the region's changes was interrupted; changes made meanwhile were not streamed");
        for (EventFeed feed : feeds) {
            feed.offer(event);
        }
    }

    int subscribers() {
        return slotsTaken.get();
    }

    void tick() {
        for (EventFeed feed : feeds) {
            feed.tick();
        }
    }

    @PreDestroy
    void close() {
        keepAlive.close();
        for (EventFeed feed : feeds) {
            feed.complete();
        }
    }

    private int waiting() {
        int sum = 0;
        for (EventFeed feed : feeds) {
            sum += feed.waiting();
        }
        return sum;
    }

    private void closed(EventFeed feed) {
        if (feeds.remove(feed)) {
            slotsTaken.decrementAndGet();
        }
    }
}

package dev.gridstate.gateway.events;

import dev.gridstate.state.Keys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.sse.Event;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EventFeedTest {

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventMetrics metrics = new EventMetrics(registry, new Keys("eu-west"));
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger closed = new AtomicInteger();

    @Test
    void shouldSayItIsLiveFirstThenSendEventsAsTheyAreAskedFor() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        Recorder reader = subscribe(feed);
        NodeEvent busy = Events.state("n1", "busy");

        reader.request(1);
        feed.offer(busy);

        assertThat(reader.events).hasSize(1);
        assertThat(reader.events.get(0).getComment()).isEqualTo("hello");
        reader.request(1);
        assertThat(reader.events).hasSize(2);
        Event<String> sent = reader.events.get(1);
        assertThat(sent.getName()).isEqualTo("state");
        assertThat(sent.getId()).isEqualTo(Long.toString(busy.seq()));
        assertThat(sent.getData()).isEqualTo(busy.json());
    }

    @Test
    void shouldKeepUpdatesWaitingWithoutDemandAndHandOverTheNewest() {
        EventFeed feed = feed(EventFilter.ALL, 0);
        Recorder reader = subscribe(feed);
        reader.request(1);
        NodeEvent last = null;

        for (int i = 0; i < 100; i++) {
            last = Events.state("n1", i % 2 == 0 ? "busy" : "idle");
            feed.offer(last);
        }

        assertThat(feed.waiting()).isEqualTo(1);
        assertThat(registry.get("gateway.events.coalesced").counter().count()).isEqualTo(99);
        reader.request(10);
        assertThat(reader.events).hasSize(2);
        assertThat(reader.events.get(1).getData()).isEqualTo(last.json());
    }

    @Test
    void shouldSendOnlyWhatTheFilterWants() {
        EventFeed feed = feed(new EventFilter(java.util.Set.of("n1"), java.util.Set.of()), 10);
        Recorder reader = subscribe(feed);
        reader.request(10);

        feed.offer(Events.state("n2", "busy"));
        feed.offer(Events.state("n1", "busy"));

        assertThat(reader.events).extracting(Event::getName).containsExactly(null, "state");
        assertThat(reader.events.get(1).getData()).contains("\"n1\"");
    }

    @Test
    void shouldSendAKeepAliveOnlyWhenNothingElseWentOutSinceTheLastTick() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        Recorder reader = subscribe(feed);
        reader.request(100);
        feed.tick();
        int afterGreeting = reader.events.size();

        feed.tick();
        feed.offer(Events.state("n1", "busy"));
        feed.tick();

        assertThat(reader.events.subList(afterGreeting, reader.events.size()))
                .extracting(Event::getComment).containsExactly("keep-alive", null);
    }

    @Test
    void shouldCutOffASubscriberThatTakesNothingForTheStallTimeout() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        Recorder reader = subscribe(feed);
        reader.request(1);
        feed.offer(Events.state("n1", "busy"));

        clock.advance(STALL_TIMEOUT.minusSeconds(1));
        feed.tick();
        assertThat(reader.error).isNull();
        clock.advance(Duration.ofSeconds(1));
        feed.tick();

        assertThat(reader.error).isInstanceOf(SubscriberStalledException.class)
                .hasMessageContaining("took nothing for 60s while 1 event(s) waited");
        assertThat(closed).hasValue(1);
        assertThat(registry.get("gateway.events.stalled").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldNotCutOffAnIdleSubscriberThatKeepsTakingKeepAlives() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        Recorder reader = subscribe(feed);
        reader.request(Long.MAX_VALUE);

        for (int i = 0; i < 10; i++) {
            clock.advance(STALL_TIMEOUT);
            feed.tick();
        }

        assertThat(reader.error).isNull();
        assertThat(feed.isClosed()).isFalse();
    }

    @Test
    void shouldFreeTheSlotOfAFeedThatNobodySubscribedTo() {
        EventFeed feed = feed(EventFilter.ALL, 10);

        clock.advance(STALL_TIMEOUT);
        feed.tick();

        assertThat(feed.isClosed()).isTrue();
        assertThat(closed).hasValue(1);
    }

    @Test
    void shouldFreeItsSlotOnceWhenCancelledAndIgnoreLaterEvents() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        Recorder reader = subscribe(feed);
        reader.request(1);

        reader.subscription.cancel();
        reader.subscription.cancel();
        feed.offer(Events.state("n1", "busy"));
        reader.request(5);

        assertThat(closed).hasValue(1);
        assertThat(reader.events).hasSize(1);
        assertThat(feed.waiting()).isZero();
        assertThat(reader.completed).isFalse();
    }

    @Test
    void shouldCompleteWhenTheGatewayStops() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        Recorder reader = subscribe(feed);

        feed.complete();

        assertThat(reader.completed).isTrue();
        assertThat(closed).hasValue(1);
    }

    @Test
    void shouldFailASecondSubscriber() {
        EventFeed feed = feed(EventFilter.ALL, 10);
        subscribe(feed);

        Recorder second = subscribe(feed);

        assertThat(second.error).isInstanceOf(IllegalStateException.class);
    }

    private EventFeed feed(EventFilter filter, int coalesceAfter) {
        return new EventFeed(filter, new CoalescingBuffer(100, coalesceAfter), metrics, clock, STALL_TIMEOUT, "hello",
                f -> closed.incrementAndGet());
    }

    private static Recorder subscribe(EventFeed feed) {
        Recorder recorder = new Recorder();
        feed.subscribe(recorder);
        return recorder;
    }

    private static final class Recorder implements Subscriber<Event<String>> {
        final List<Event<String>> events = new ArrayList<>();
        Subscription subscription;
        Throwable error;
        boolean completed;

        void request(long n) {
            subscription.request(n);
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Event<String> event) {
            events.add(event);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

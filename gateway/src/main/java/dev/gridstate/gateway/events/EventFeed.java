package dev.gridstate.gateway.events;

import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One subscriber's event stream: a Reactive Streams publisher (for one subscriber, the HTTP
 * response) that emits only what the response asked for. Events from Redis are {@link #offer
 * offered} without waiting; whatever the subscriber has not taken yet waits in a
 * {@link CoalescingBuffer}, so a slow reader costs bounded memory and never holds up the
 * pub/sub thread or the other subscribers.
 *
 * <p>The first event is a comment, the feed's {@code description}: the stream is live. A
 * keep-alive comment goes out at each {@link #tick} in which nothing else did. A subscriber that
 * takes nothing for {@code stallTimeout} while something waits for it is cut off with an error,
 * which closes its connection.
 */
final class EventFeed implements Publisher<Event<String>>, Subscription {

    private final EventFilter filter;
    private final CoalescingBuffer buffer;
    private final EventMetrics metrics;
    private final Clock clock;
    private final Duration stallTimeout;
    private final String description;
    private final Consumer<EventFeed> onClose;

    private final AtomicReference<Subscriber<? super Event<String>>> downstream = new AtomicReference<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private volatile Throwable failure;
    private volatile boolean signalEnd;
    private volatile boolean greetingDue = true;
    private volatile boolean keepAliveDue;
    private volatile boolean sentSinceTick;
    private volatile Instant lastProgress;

    EventFeed(EventFilter filter, CoalescingBuffer buffer, EventMetrics metrics, Clock clock, Duration stallTimeout,
              String description, Consumer<EventFeed> onClose) {
        this.filter = filter;
        this.buffer = buffer;
        this.metrics = metrics;
        this.clock = clock;
        this.stallTimeout = stallTimeout;
        this.description = description;
        this.onClose = onClose;
        this.lastProgress = clock.instant();
    }

    @Override
    public void subscribe(Subscriber<? super Event<String>> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!downstream.compareAndSet(null, subscriber)) {
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("an event feed serves one subscriber, and it has one"));
            return;
        }
        subscriber.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            close(new IllegalArgumentException("a subscriber must request a positive number of events (rule 3.9), but asked for " + n));
            return;
        }
        requested.accumulateAndGet(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
        drain();
    }

    /** The subscriber is gone (the client closed the connection). */
    @Override
    public void cancel() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    /** Takes one event for this subscriber if its filter wants it; never waits. */
    void offer(NodeEvent event) {
        if (closed.get() || !filter.accepts(event)) {
            return;
        }
        CoalescingBuffer.Offer result;
        synchronized (buffer) {
            result = buffer.offer(event);
        }
        metrics.offered(result);
        drain();
    }

    /** Queues a keep-alive if nothing went out since the last tick; cuts off a stalled subscriber. */
    void tick() {
        if (closed.get()) {
            return;
        }
        if (!sentSinceTick) {
            keepAliveDue = true;
        }
        sentSinceTick = false;
        Duration idle = Duration.between(lastProgress, clock.instant());
        boolean somethingWaits = downstream.get() == null || keepAliveDue || waiting() > 0;
        if (somethingWaits && requested.get() == 0 && idle.compareTo(stallTimeout) >= 0) {
            close(new SubscriberStalledException(description + ": the subscriber took nothing for " + idle.toSeconds()
                    + "s while " + waiting() + " event(s) waited (stall-timeout " + stallTimeout + ")"));
            // counted once its slot is free, so whoever sees the count sees the slot free
            metrics.stalled();
            return;
        }
        drain();
    }

    /** Ends the stream normally (the gateway is shutting down). */
    void complete() {
        close(null);
    }

    int waiting() {
        synchronized (buffer) {
            return buffer.size();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private void close(Throwable error) {
        if (closed.compareAndSet(false, true)) {
            failure = error;
            signalEnd = true;
            release();
            drain();
        }
    }

    private void release() {
        synchronized (buffer) {
            buffer.clear();
        }
        onClose.accept(this);
    }

    // Serialises every signal to the subscriber, whichever thread offered, requested or ticked.
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Subscriber<? super Event<String>> subscriber = downstream.get();
            if (subscriber != null) {
                if (!closed.get()) {
                    emit(subscriber);
                } else if (signalEnd && terminated.compareAndSet(false, true)) {
                    end(subscriber);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void emit(Subscriber<? super Event<String>> subscriber) {
        long wanted = requested.get();
        long sent = 0;
        while (sent < wanted && !closed.get()) {
            Event<String> next = next();
            if (next == null) {
                break;
            }
            subscriber.onNext(next);
            sent++;
            sentSinceTick = true;
            lastProgress = clock.instant();
        }
        if (sent > 0 && wanted != Long.MAX_VALUE) {
            requested.addAndGet(-sent);
        }
    }

    private void end(Subscriber<? super Event<String>> subscriber) {
        Throwable error = failure;
        if (error == null) {
            subscriber.onComplete();
        } else {
            subscriber.onError(error);
        }
    }

    private Event<String> next() {
        if (greetingDue) {
            greetingDue = false;
            return Event.of("").comment(description);
        }
        NodeEvent event;
        synchronized (buffer) {
            event = buffer.poll();
        }
        if (event != null) {
            return Event.of(event.json()).id(Long.toString(event.seq())).name(event.type());
        }
        if (keepAliveDue) {
            keepAliveDue = false;
            return Event.of("").comment("keep-alive");
        }
        return null;
    }
}

package dev.gridstate.gateway.status;

import io.micronaut.context.annotation.Context;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One snapshot every {@code interval} for all the status streams of this process, taken on one
 * thread and only while someone watches: viewers share it, so ten open pages cost Redis what one
 * does. While nobody watches, the ticker still walks the node census on, at the same pace, for
 * the node metrics. A stream starts with a snapshot at once (the newest, if fresh). A reader slower than the
 * interval gets the newest snapshot when it is ready for one, not a backlog.
 */
@Context
class StatusStream {

    /** The SSE event name of a snapshot. */
    static final String EVENT = "status";

    private static final Logger LOG = LoggerFactory.getLogger(StatusStream.class);

    private final StatusCollector collector;
    private final StatusSettings settings;
    private final Sinks.Many<StatusSnapshot> snapshots = Sinks.many().multicast().directBestEffort();
    private final AtomicInteger watchers = new AtomicInteger();
    private ScheduledExecutorService ticker;
    private volatile StatusSnapshot latest;
    private volatile long latestAt;

    StatusStream(StatusCollector collector, StatusSettings settings) {
        this.collector = collector;
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("status-snapshots").daemon().factory());
        long every = settings.interval().toMillis();
        // At a fixed rate: a snapshot that waits part-timeout on a hung Redis must not stretch the
        // interval, or a breaker's one-second OPEN spells between probes could fall between two.
        ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
        snapshots.tryEmitComplete();
    }

    /** The newest snapshot if it is younger than the interval, else a new one. */
    CompletableFuture<StatusSnapshot> current() {
        StatusSnapshot newest = latest;
        if (newest != null && System.nanoTime() - latestAt < settings.interval().toNanos()) {
            return CompletableFuture.completedFuture(newest);
        }
        return CompletableFuture.supplyAsync(this::take, ticker);
    }

    /**
     * A stream of snapshots as SSE events, or empty when {@code max-subscribers} streams are open.
     * The bound is checked here and counted on subscription, so a burst of requests may pass it by a few.
     */
    Optional<Flux<Event<StatusSnapshot>>> open() {
        if (watchers.get() >= settings.maxSubscribers()) {
            return Optional.empty();
        }
        Flux<StatusSnapshot> stream = Flux.concat(Mono.fromFuture(this::current), snapshots.asFlux())
                .onBackpressureLatest()
                .doOnSubscribe(s -> watchers.incrementAndGet())
                .doFinally(signal -> watchers.decrementAndGet());
        return Optional.of(stream.map(s -> Event.of(s).name(EVENT).id(Long.toString(s.at()))));
    }

    /** Open streams now. */
    int watchers() {
        return watchers.get();
    }

    private void tick() {
        try {
            if (watchers.get() == 0) {
                collector.countNodes();
                return;
            }
            snapshots.tryEmitNext(take());
        } catch (RuntimeException e) {
            // The parts catch their own failures: this is a bug, and the next tick tries again.
            LOG.error("status: a snapshot failed", e);
        }
    }

    /** On the ticker thread only. */
    private StatusSnapshot take() {
        StatusSnapshot snapshot = collector.collect();
        latest = snapshot;
        latestAt = System.nanoTime();
        return snapshot;
    }
}

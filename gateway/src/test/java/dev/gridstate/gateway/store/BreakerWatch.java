package dev.gridstate.gateway.store;

import dev.gridstate.gateway.TestGateway;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * What the store of each replica did, stamped with {@link System#nanoTime()}: every state
 * transition of its two breakers as it happens (the breakers publish them synchronously), with
 * the window's rates that caused it, and every change of where its state calls go
 * ({@link Failover#regionalInUse()}, polled every 2 ms). A test can tell to the millisecond when
 * a breaker opened after a fault it injected, and log the whole story when something surprises.
 */
final class BreakerWatch implements AutoCloseable {

    private static final long POLL_NANOS = 2_000_000;

    sealed interface Event permits Transition, InUse {
        long nanos();

        int replica();
    }

    record Transition(long nanos, int replica, Source breaker, CircuitBreaker.State from, CircuitBreaker.State to,
                      float failureRate, float slowCallRate, int calls, int failedCalls, int slowCalls) implements Event {
    }

    record InUse(long nanos, int replica, boolean regional) implements Event {
    }

    private final List<TestGateway> replicas;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean closed;

    private BreakerWatch(List<TestGateway> replicas) {
        this.replicas = List.copyOf(replicas);
        this.poller = Thread.ofPlatform().name("breaker-watch").daemon().unstarted(this::poll);
    }

    static BreakerWatch on(List<TestGateway> replicas) {
        BreakerWatch watch = new BreakerWatch(replicas);
        for (int r = 0; r < replicas.size(); r++) {
            StoreBreakers breakers = replicas.get(r).context().getBean(StoreBreakers.class);
            for (Source source : Source.values()) {
                int replica = r;
                CircuitBreaker breaker = breakers.of(source);
                breaker.getEventPublisher().onStateTransition(e -> {
                    CircuitBreaker.Metrics m = breaker.getMetrics();
                    watch.events.add(new Transition(System.nanoTime(), replica, source,
                            e.getStateTransition().getFromState(), e.getStateTransition().getToState(), m.getFailureRate(),
                            m.getSlowCallRate(), m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls(),
                            m.getNumberOfSlowCalls()));
                });
            }
        }
        watch.poller.start();
        return watch;
    }

    private void poll() {
        boolean[] last = new boolean[replicas.size()];
        for (int r = 0; r < last.length; r++) {
            last[r] = inUse(r);
            events.add(new InUse(System.nanoTime(), r, last[r]));
        }
        while (!closed) {
            for (int r = 0; r < last.length; r++) {
                boolean now = inUse(r);
                if (now != last[r]) {
                    events.add(new InUse(System.nanoTime(), r, now));
                    last[r] = now;
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private boolean inUse(int replica) {
        return replicas.get(replica).context().getBean(Failover.class).regionalInUse();
    }

    /** When {@code replica}'s {@code breaker} first went to {@code state} at or after {@code since}. */
    OptionalLong first(int replica, Source breaker, CircuitBreaker.State state, long since) {
        return events.stream().filter(e -> e instanceof Transition t && t.replica() == replica && t.breaker() == breaker
                && t.to() == state && t.nanos() >= since).mapToLong(Event::nanos).min();
    }

    /** When the last replica's {@code breaker} first went to {@code state} at or after {@code since}; empty until all did. */
    OptionalLong allWent(Source breaker, CircuitBreaker.State state, long since) {
        long latest = Long.MIN_VALUE;
        for (int r = 0; r < replicas.size(); r++) {
            OptionalLong at = first(r, breaker, state, since);
            if (at.isEmpty()) {
                return OptionalLong.empty();
            }
            latest = Math.max(latest, at.getAsLong());
        }
        return OptionalLong.of(latest);
    }

    /** True while every replica sends state calls to the regional Redis. */
    boolean allOnRegional() {
        for (int r = 0; r < replicas.size(); r++) {
            if (!inUse(r)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when every replica is on the regional Redis and nothing changed (no transition, no
     * switch) for {@code quiet}, all of it after {@code from}.
     */
    boolean settled(Duration quiet, long from) {
        long last = Math.max(from, events.stream().mapToLong(Event::nanos).max().orElse(from));
        return allOnRegional() && System.nanoTime() - last >= quiet.toNanos();
    }

    /** Transitions of {@code breaker} at or after {@code since}, on any replica. */
    List<Transition> transitions(Source breaker, long since) {
        return events.stream().filter(e -> e instanceof Transition t && t.breaker() == breaker && t.nanos() >= since)
                .map(Transition.class::cast).toList();
    }

    CircuitBreaker.State state(int replica, Source breaker) {
        return replicas.get(replica).context().getBean(StoreBreakers.class).of(breaker).getState();
    }

    /** One line per event at or after {@code since}, times in ms from {@code origin}. */
    List<String> story(long origin, long since) {
        List<Event> sorted = new ArrayList<>(events.stream().filter(e -> e.nanos() >= since).toList());
        sorted.sort(Comparator.comparingLong(Event::nanos));
        return sorted.stream().map(e -> "+%d ms replica %d: %s".formatted((e.nanos() - origin) / 1_000_000, e.replica(),
                switch (e) {
                    case Transition t -> "%s breaker %s -> %s (failure rate %.0f%%, slow %.0f%%, %d calls, %d failed, %d slow)"
                            .formatted(t.breaker().wire(), t.from(), t.to(), t.failureRate(), t.slowCallRate(), t.calls(),
                                    t.failedCalls(), t.slowCalls());
                    case InUse u -> u.regional() ? "state calls to the regional Redis" : "state calls to central";
                })).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}

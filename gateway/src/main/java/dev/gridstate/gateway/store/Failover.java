package dev.gridstate.gateway.store;

import dev.gridstate.gateway.replication.Failback;
import dev.gridstate.gateway.replication.Rehydrator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides whether state calls use the regional Redis, and brings it back after an outage.
 *
 * <p>The regional Redis is in use while its breaker is closed and it is <em>ready</em>: it holds
 * the region (its epoch marker) and everything written on central while it was out. Requests
 * never probe either Redis: while a breaker is half-open, this class does, a few PINGs through
 * it, so no client request waits on a Redis that may still be hanging. Once the breaker
 * closes, it refills a regional Redis that came back empty ({@link Rehydrator}) and copies back
 * what was written on central meanwhile ({@link Failback}); only then do requests return to it.
 *
 * <p>While in use, the regional Redis is checked every {@code check-interval} for having lost
 * the region without a disconnect (FLUSHALL); a heartbeat from a node it does not know asks for
 * that check at once ({@link #suspectLoss()}). A loss takes it out of use until it is refilled.
 */
@Context
public class Failover {

    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
    /** The reply of a regional Redis that does not hold the region (holds-region.lua). */
    static final String NO_REGION = "NOREGION";
    private static final int DRAIN_PAGES_PER_ROUND = 50;
    /** A drain round that copied fewer entities than this is the last before the switch. */
    private static final int FEW = 100;
    private static final long DRAIN_ROUNDS_FOR_MS = 5_000;
    /** How long a starting gateway waits for central before it decides whether to refill from it. */
    private static final Duration CENTRAL_CONNECT_WAIT = Duration.ofSeconds(2);

    private final StoreSettings settings;
    private final StoreBreakers breakers;
    private final Rehydrator rehydrator;
    private final Failback failback;
    private final RegionalRedis regional;
    private final CentralRedis central;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private volatile boolean ready;
    private volatile long nextCheck;
    private long lastDrainWarning;
    private int unansweredPings;
    private ScheduledExecutorService executor;

    Failover(StoreSettings settings, StoreBreakers breakers, Rehydrator rehydrator, Failback failback,
             RegionalRedis regional, CentralRedis central,
             MeterRegistry metrics) {
        this.central = central;
        this.settings = settings;
        this.breakers = breakers;
        this.rehydrator = rehydrator;
        this.failback = failback;
        this.regional = regional;
        Gauge.builder("gateway.store.regional.in.use", this, f -> f.regionalInUse() ? 1 : 0)
                .description("1 while state calls go to the regional Redis, 0 while they go to central").register(metrics);
    }

    @PostConstruct
    void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("failover").daemon().factory());
        // The first round before the gateway serves: it starts on the regional Redis if that holds
        // the region, rather than on central for a round. Bounded by the Redis clients' timeouts.
        try {
            central.awaitConnected(CENTRAL_CONNECT_WAIT);
            executor.submit(this::round).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("failover: the first round failed: {}", e.getCause().toString());
        }
        executor.scheduleWithFixedDelay(this::round, settings.probeInterval().toMillis(), settings.probeInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** True while state calls go to the regional Redis. */
    public boolean regionalInUse() {
        return ready && breakers.regional().getState() == CircuitBreaker.State.CLOSED;
    }

    /** Where state calls go now. */
    public Source serving() {
        return regionalInUse() ? Source.REGIONAL : Source.CENTRAL;
    }

    /** True if {@code error} is a regional Redis saying it does not hold the region. */
    static boolean lostRegion(Throwable error) {
        return error instanceof RedisCommandExecutionException reply && String.valueOf(reply.getMessage()).startsWith(NO_REGION);
    }

    /** The regional Redis answered as if it had lost the region (NOREGION, an unknown node): check it now. */
    public void suspectLoss() {
        if (ready && checkQueued.compareAndSet(false, true)) {
            nextCheck = 0;
            executor.execute(this::round);
        }
    }

    private void round() {
        checkQueued.set(false);
        try {
            // Central's breaker is probed here too: requests reach central only while they fail
            // over, so left to them it could sit half-open until the moment it is needed.
            CircuitBreaker.State central = breakers.central().getState();
            if (central == CircuitBreaker.State.HALF_OPEN) {
                probe(Source.CENTRAL);
            } else if (central == CircuitBreaker.State.CLOSED && !regionalInUse()) {
                // Failed over, the gateway lives on central: check it every round, as the regional
                // Redis is checked while in use, so its breaker opens even when requests are few.
                centralAnswers();
            }
            CircuitBreaker breaker = breakers.regional();
            switch (breaker.getState()) {
                case CLOSED -> {
                    if (ready && !answersPing()) {
                        return;
                    }
                    long now = System.currentTimeMillis();
                    if (!ready || now >= nextCheck) {
                        nextCheck = now + settings.checkInterval().toMillis();
                        check();
                    }
                }
                case HALF_OPEN -> {
                    leave("its breaker is half-open");
                    probe(Source.REGIONAL);
                }
                default -> leave("its breaker is " + breaker.getState().name().toLowerCase());
            }
        } catch (RuntimeException e) {
            LOG.warn("failover: a round failed: {}", e.toString());
        }
    }

    /**
     * While in use, the regional Redis gets a PING every round, within the state calls' timeout:
     * {@code probe-calls} in a row unanswered open its breaker. Requests would open it too, but
     * only once their failures outweigh a whole window of earlier successes (most of a second),
     * and a quiet gateway may never make the window's minimum of calls.
     */
    private boolean answersPing() {
        Throwable failure = ping(Source.REGIONAL, true);
        if (failure == null) {
            unansweredPings = 0;
            return true;
        }
        if (++unansweredPings >= settings.probeCalls()) {
            unansweredPings = 0;
            open(Source.REGIONAL, settings.probeCalls() + " PINGs in a row unanswered within "
                    + settings.regionalTimeout().toMillis() + " ms (" + failure + ")");
            leave("its breaker is open");
        }
        return false;
    }

    /**
     * A PING to {@code target} within its state calls' timeout; null if answered, else why not.
     * {@code record}: its outcome and time count in the target's breaker.
     */
    private Throwable ping(Source target, boolean record) {
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            CompletionStage<?> pong = target == Source.REGIONAL ? regional.ping() : central.async().ping();
            pong.toCompletableFuture().get(breakers.timeoutNanos(target, 1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (Exception e) {
            failure = StateStore.unwrap(e);
        }
        if (record) {
            breakers.record(target, 1, start, failure);
        }
        return failure;
    }

    private void leave(String why) {
        if (ready) {
            ready = false;
            LOG.warn("state store: the regional Redis is out of use ({}); state calls go to central", why);
        }
    }

    /** Up to {@code probe-calls} PINGs through a half-open breaker; it closes once enough of them were fast. */
    private void probe(Source target) {
        CircuitBreaker breaker = breakers.of(target);
        for (int i = 0; i < settings.probeCalls() && breaker.getState() == CircuitBreaker.State.HALF_OPEN; i++) {
            if (!breaker.tryAcquirePermission()) {
                return;
            }
            if (ping(target, true) != null) {
                return;
            }
        }
    }

    /**
     * With the breaker closed: does the regional Redis hold the region, with everything central
     * took while it was out? Refills it and copies back as needed; requests go to central until
     * that is done. While central does not answer, the regional Redis serves what it holds.
     */
    private void check() {
        long start = System.nanoTime();
        Rehydrator.Held held;
        try {
            held = rehydrator.held();
            breakers.record(Source.REGIONAL, 1, start, null);
        } catch (RuntimeException e) {
            // A quiet gateway may not make the breaker's minimum of calls in its window: a check the
            // regional Redis does not answer, within the client's own, longer timeout, opens it.
            breakers.record(Source.REGIONAL, 1, start, StateStore.unwrap(e));
            open(Source.REGIONAL, "it did not answer a check: " + StateStore.unwrap(e));
            leave("its breaker is open");
            return;
        }
        boolean centralAnswers = centralAnswers();
        try {
            switch (held) {
                case FILLING_ELSEWHERE -> {
                    leave("another replica is refilling it from central");
                    return;
                }
                case LOST -> {
                    if (!centralAnswers) {
                        rehydrator.markUnfilled();
                        enter("it lost the region and central is out to refill it, so it serves what it holds "
                                + "(nodes re-register) until central is back");
                        return;
                    }
                    leave("it lost the region (a restart, a flush); refilling it from central");
                    if (!rehydrator.refillLost()) {
                        return;
                    }
                }
                case UNFILLED -> {
                    if (!centralAnswers || !rehydrator.refillInPlace()) {
                        enter("it lost the region while central was out, and is not refilled yet");
                        return;
                    }
                }
                case HELD -> {
                    // Whole: only what central took meanwhile may be missing.
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("state store: the regional Redis failed while being checked or refilled: {}", e.toString());
            return;
        }
        if (!centralAnswers) {
            enter("central is out, so anything written there during the outage stays there for now");
            return;
        }
        try {
            // Requests keep writing on central while this copies: go on until a round finds only a
            // few, switch, and copy once more what was written on central in the meantime.
            long until = System.currentTimeMillis() + DRAIN_ROUNDS_FOR_MS;
            while (failback.drain(DRAIN_PAGES_PER_ROUND) >= FEW && System.currentTimeMillis() < until) {
                // Each round is a page or more copied; the next one sees what came since.
            }
            boolean wasReady = ready;
            enter(null);
            if (!wasReady) {
                failback.drain(DRAIN_PAGES_PER_ROUND);
            }
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastDrainWarning >= 10_000) {
                lastDrainWarning = now;
                LOG.warn("state store: copying back what was written on central failed; trying again: {}", e.toString());
            }
        }
    }

    /** A PING to central within its timeout; one that fails opens central's breaker. */
    private boolean centralAnswers() {
        if (breakers.central().getState() != CircuitBreaker.State.CLOSED) {
            return false;
        }
        Throwable failure = ping(Source.CENTRAL, false);
        if (failure != null && !(failure instanceof InterruptedException)) {
            open(Source.CENTRAL, "it did not answer a PING: " + failure);
        }
        return failure == null;
    }

    private void open(Source target, String why) {
        CircuitBreaker breaker = breakers.of(target);
        if (breaker.getState() == CircuitBreaker.State.CLOSED) {
            LOG.warn("state store: opening the {} Redis breaker: {}", target.wire(), why);
            breaker.transitionToOpenState();
        }
    }

    private void enter(String caveat) {
        if (!ready) {
            ready = true;
            if (caveat == null) {
                LOG.info("state store: the regional Redis is in use again");
            } else {
                LOG.warn("state store: the regional Redis is in use again, though {}", caveat);
            }
        }
    }
}

package dev.gridstate.bench.sentinel;

import dev.gridstate.bench.failover.FailoverFigures;
import dev.gridstate.bench.failover.Timeline;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what a Lettuce client using Sentinel sees when the Redis primary is SIGKILLed.
 *
 * <p>The client is a plain {@link RedisClient} on a Sentinel {@link io.lettuce.core.RedisURI}
 * (all three sentinels) with Lettuce's defaults but the command timeout: auto-reconnect on,
 * commands queued while disconnected, exponential reconnect delay (1 ms doubling up to 30 s). On
 * every reconnect attempt Lettuce asks the sentinels again for the master address
 * ({@code SENTINEL get-master-addr-by-name}), so it reaches the promoted replica on its first
 * attempt after the sentinels switched, and keeps dialling the dead primary before that.
 *
 * <p>One thread sends GETs of a prepared key at a fixed rate, open loop: each request has an
 * intended start, its latency counts from there, and a request fails unless it returns the
 * prepared value. After warmup and the baseline the primary is killed; sending goes on until
 * the figures show a steady p99 held for {@code steadyHold}, or {@code afterKillBound}.
 */
public final class SentinelFailover {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelFailover.class);
    private static final String KEY = "gridstate-bench:sentinel:probe";
    private static final String VALUE = "probe-value";
    private static final Duration SENTINEL_POLL = Duration.ofMillis(50);

    /**
     * @param rate            GETs per second
     * @param afterKillBound  the longest the measurement goes on after the kill
     * @param steadyHold      how many steady seconds after the steady point end the run early
     */
    public record Settings(int rate, Duration warmup, Duration baseline, Duration afterKillBound,
                           Duration steadyHold, Duration commandTimeout, Optional<Duration> reconnectDelayCap) {

        public Settings {
            if (rate < 1 || rate > 5_000) {
                throw new IllegalArgumentException("rate must be between 1 and 5000 per second, but was " + rate);
            }
            for (Map.Entry<String, Duration> d : Map.of("warmup", warmup, "baseline", baseline,
                    "afterKillBound", afterKillBound, "steadyHold", steadyHold, "commandTimeout", commandTimeout).entrySet()) {
                if (d.getValue() == null || d.getValue().isNegative() || d.getValue().isZero()) {
                    throw new IllegalArgumentException(d.getKey() + " must be positive, but was " + d.getValue());
                }
            }
        }

        /** 500/s, 3 s warmup, 5 s baseline, 20 s bound (right for down-after 1000 ms), 500 ms timeout. */
        public static Settings defaults() {
            return new Settings(500, Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(20),
                    Duration.ofSeconds(3), Duration.ofMillis(500), Optional.empty());
        }

        public Settings withAfterKillBound(Duration bound) {
            return new Settings(rate, warmup, baseline, bound, steadyHold, commandTimeout, reconnectDelayCap);
        }

        public Settings withPhases(Duration warmup, Duration baseline) {
            return new Settings(rate, warmup, baseline, afterKillBound, steadyHold, commandTimeout, reconnectDelayCap);
        }

        /**
         * Reconnect attempts no further apart than {@code cap} (exponential from 1 ms, as Lettuce's
         * default, whose cap is 30 s): a client tuned to find the new master soon after the
         * sentinels switched.
         */
        public Settings withReconnectDelayCap(Duration cap) {
            return new Settings(rate, warmup, baseline, afterKillBound, steadyHold, commandTimeout, Optional.of(cap));
        }
    }

    /**
     * @param downAfter          the sentinels' down-after; empty for Redis's default
     * @param newMasterReported  from the kill until the first sentinel answered with another master
     * @param newMasterPort      the master the sentinels reported at the end
     * @param unanswered         requests with no answer when the run ended, counted as failed
     * @param reachedBound       true if the run stopped at {@code afterKillBound}, not on a steady p99
     */
    public record Result(Optional<Duration> downAfter, FailoverFigures figures, int oldPrimaryPort, int replicaPort,
                         Optional<Duration> newMasterReported, Optional<Integer> newMasterPort,
                         int requests, int unanswered, boolean reachedBound) {
    }

    private final SentinelSet set;
    private final Settings settings;
    private final Timeline timeline = new Timeline();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private volatile long killNanos;
    private volatile long newMasterNanos;
    private volatile boolean steadyHeld;

    private SentinelFailover(SentinelSet set, Settings settings) {
        this.set = set;
        this.settings = settings;
    }

    /** Starts a {@link SentinelSet}, measures one failover, closes the set. */
    public static Result measure(SentinelSet.Settings setSettings, Settings settings) {
        try (SentinelSet set = SentinelSet.start(setSettings)) {
            return run(set, settings);
        }
    }

    /** Measures one failover on a ready set; its primary is dead afterwards. */
    public static Result run(SentinelSet set, Settings settings) {
        return new SentinelFailover(set, settings).run();
    }

    private Result run() {
        ClientResources.Builder resources = ClientResources.builder();
        settings.reconnectDelayCap().ifPresent(cap -> resources.reconnectDelay(
                Delay.exponential(Duration.ofMillis(1), cap, 2, TimeUnit.MILLISECONDS)));
        ClientResources clientResources = resources.build();
        RedisClient client = RedisClient.create(clientResources, set.clientUri(settings.commandTimeout()));
        client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled()).build());
        ScheduledExecutorService watchers = Executors.newScheduledThreadPool(2, r -> new Thread(r, "sentinel-failover-watch"));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set(KEY, VALUE);
            connection.sync().waitForReplication(1, 2_000);
            int requests = send(connection.async(), watchers);
            int unanswered = drain();
            return result(requests, unanswered);
        } finally {
            watchers.shutdownNow();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            clientResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private int send(RedisAsyncCommands<String, String> async, ScheduledExecutorService watchers) {
        long period = Duration.ofSeconds(1).toNanos() / settings.rate();
        long start = System.nanoTime() + Duration.ofMillis(10).toNanos();
        long killAt = start + settings.warmup().plus(settings.baseline()).toNanos();
        long hardEnd = killAt + settings.afterKillBound().toNanos();
        long maxRequests = (hardEnd - start) / period + 1;
        watchers.schedule(() -> killAndWatch(watchers), killAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        LOG.info("sending {} GETs/s via sentinels {}, kill in {}", settings.rate(), set.sentinelPorts(),
                settings.warmup().plus(settings.baseline()));
        int sent = 0;
        for (long i = 0; i < maxRequests && !steadyHeld; i++) {
            long intended = start + i * period;
            LockSupport.parkNanos(intended - System.nanoTime());
            inFlight.put(i, intended);
            long id = i;
            async.get(KEY).whenComplete((value, error) -> {
                if (inFlight.remove(id) != null) {
                    timeline.record(intended, System.nanoTime(), error == null && VALUE.equals(value));
                }
            });
            sent++;
        }
        return sent;
    }

    private void killAndWatch(ScheduledExecutorService watchers) {
        killNanos = set.killPrimary();
        watchers.scheduleWithFixedDelay(this::pollSentinels, 0, SENTINEL_POLL.toMillis(), TimeUnit.MILLISECONDS);
        watchers.scheduleWithFixedDelay(this::checkSteady, 1, 1, TimeUnit.SECONDS);
    }

    private void pollSentinels() {
        if (newMasterNanos != 0) {
            return;
        }
        List<Optional<Integer>> ports = set.reportedMasterPorts();
        if (ports.stream().flatMap(Optional::stream).anyMatch(p -> p != set.primaryPort())) {
            newMasterNanos = System.nanoTime();
            LOG.info("a sentinel reported a new master after {} ms (ports now {})", 
                    Duration.ofNanos(newMasterNanos - killNanos).toMillis(), ports);
        }
    }

    private void checkSteady() {
        try {
            logAndJudge();
        } catch (RuntimeException e) {
            // A scheduled task that throws is cancelled silently: say so and let the bound end the run.
            LOG.warn("the steady check failed; the run ends at its bound", e);
            throw e;
        }
    }

    private void logAndJudge() {
        FailoverFigures figures = FailoverFigures.of(timeline, killNanos, FailoverFigures.Settings.bench());
        long afterKill = Duration.ofNanos(System.nanoTime() - killNanos).toSeconds();
        LOG.info("kill + {} s: {} of {} failed, first success {}, steady from {}", afterKill,
                figures.failedAfterKill(), figures.totalAfterKill(), millis(figures.firstSuccess()),
                millis(figures.timeToSteady()));
        Duration judged = FailoverFigures.Settings.bench().window().multipliedBy(figures.fullWindowsAfterKill());
        steadyHeld = newMasterNanos != 0 && figures.timeToSteady()
                .filter(t -> judged.minus(t).compareTo(settings.steadyHold()) >= 0)
                .isPresent();
    }

    private static String millis(Optional<Duration> duration) {
        return duration.map(d -> d.toMillis() + " ms").orElse("-");
    }

    /** Waits out the command timeout for the last answers; what never answered is a failure. */
    private int drain() {
        long deadline = System.nanoTime() + settings.commandTimeout().plusSeconds(2).toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        int unanswered = 0;
        for (Long id : List.copyOf(inFlight.keySet())) {
            Long intended = inFlight.remove(id);
            if (intended != null) {
                timeline.record(intended, System.nanoTime(), false);
                unanswered++;
            }
        }
        return unanswered;
    }

    private Result result(int requests, int unanswered) {
        if (killNanos == 0) {
            throw new IllegalStateException("the primary was never killed; " + set);
        }
        Optional<Integer> master = set.reportedMasterPorts().stream().flatMap(Optional::stream).findFirst();
        FailoverFigures figures = FailoverFigures.of(timeline, killNanos, FailoverFigures.Settings.bench());
        Result result = new Result(set.settings().downAfter(), figures, set.primaryPort(), set.replicaPort(),
                newMasterNanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(newMasterNanos - killNanos)),
                master, requests, unanswered, !steadyHeld);
        LOG.info("sentinel failover, down-after {}: {}", set.settings().downAfter().map(Duration::toMillis)
                .map(ms -> ms + " ms").orElse("default"), result);
        return result;
    }
}

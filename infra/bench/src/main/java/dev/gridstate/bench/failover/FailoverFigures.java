package dev.gridstate.bench.failover;

import dev.gridstate.bench.failover.Timeline.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a failover cost the client, computed from a {@link Timeline} and the instant of the kill.
 * The same definitions serve the gateway and Redis Sentinel:
 *
 * <ul>
 *   <li><b>Latency</b> of a request runs from its intended start to its answer or failure.
 *       <b>p99</b> is the nearest-rank 99th percentile: the ⌈0.99·n⌉-th smallest of n latencies,
 *       failed requests included (a timeout counts with its full wait).</li>
 *   <li><b>Baseline p99</b>: the p99 of the requests that started in the {@code baselineWindow}
 *       (default 5 s) before the kill.</li>
 *   <li><b>After the kill</b>: a request that ended at or after the kill, so requests in flight
 *       when the server died count. {@code failedAfterKill} of {@code totalAfterKill} failed.</li>
 *   <li><b>First success</b>: from the kill to the answer of the first successful request that
 *       started at or after the kill (earliest answer, not earliest start).</li>
 *   <li><b>Windows</b>: consecutive {@code window}s (default 1 s; the benchmark's 500 ms) from the kill, holding the
 *       requests that started in them. A window is <i>full</i> once a request has started at or
 *       after its end; the last, partial window is never judged. A full window is <i>steady</i>
 *       when it holds at least one request, none failed, and its p99 is at most
 *       max(factor × baseline p99, baseline p99 + slack) (defaults 2 and 1 ms).</li>
 *   <li><b>Time to steady p99</b>: from the kill to the start of the first full window that is
 *       steady and followed only by steady full windows. Empty if the last full window is not
 *       steady or there is no full window: the run did not show a recovery.</li>
 *   <li><b>Worst window p99</b>: the largest p99 among the full windows after the kill.</li>
 * </ul>
 */
public record FailoverFigures(
        Duration baselineP99,
        int baselineRequests,
        Duration steadyP99Limit,
        Optional<Duration> firstSuccess,
        long failedAfterKill,
        long totalAfterKill,
        Optional<Duration> timeToSteady,
        Optional<Duration> worstWindowP99,
        int fullWindowsAfterKill) {

    /** How the windows and the steady limit are drawn; {@link #defaults()} are the ones quoted in BENCHMARKS.md. */
    public record Settings(Duration baselineWindow, Duration window, double p99Factor, Duration p99Slack) {

        public Settings {
            requirePositive("baselineWindow", baselineWindow);
            requirePositive("window", window);
            if (!(p99Factor >= 1.0)) {
                throw new IllegalArgumentException("p99Factor must be at least 1, but was " + p99Factor);
            }
            if (p99Slack == null || p99Slack.isNegative()) {
                throw new IllegalArgumentException("p99Slack must not be negative, but was " + p99Slack);
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(1), 2.0, Duration.ofMillis(1));
        }

        /**
         * What the benchmark reports: 500 ms windows, fine enough to time a failover well under a
         * second (250 requests a window at 500/s), and a 5 ms slack, above the 1–10 ms stalls a
         * 2-core machine running client and servers together puts into plain Redis commands.
         */
        public static Settings bench() {
            return new Settings(Duration.ofSeconds(5), Duration.ofMillis(500), 2.0, Duration.ofMillis(5));
        }

        public Settings withWindow(Duration window) {
            return new Settings(baselineWindow, window, p99Factor, p99Slack);
        }

        public Settings withBaselineWindow(Duration baselineWindow) {
            return new Settings(baselineWindow, window, p99Factor, p99Slack);
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, but was " + value);
            }
        }
    }

    public static FailoverFigures of(Timeline timeline, long killNanos) {
        return of(timeline, killNanos, Settings.defaults());
    }

    /**
     * @throws IllegalArgumentException if no request started in the baseline window: without a
     *     baseline there is nothing to recover to
     */
    public static FailoverFigures of(Timeline timeline, long killNanos, Settings settings) {
        List<Outcome> outcomes = timeline.outcomes();
        long baselineStart = killNanos - settings.baselineWindow().toNanos();
        long[] baseline = latencies(outcomes, baselineStart, killNanos);
        if (baseline.length == 0) {
            throw new IllegalArgumentException("no request started in the " + settings.baselineWindow()
                    + " before the kill at " + killNanos + " ns (" + outcomes.size() + " recorded in all)");
        }
        long baselineP99 = p99(baseline);
        long limit = Math.max(Math.round(settings.p99Factor() * baselineP99),
                baselineP99 + settings.p99Slack().toNanos());

        long failedAfter = 0;
        long totalAfter = 0;
        long firstSuccessEnd = Long.MAX_VALUE;
        for (Outcome o : outcomes) {
            if (o.endNanos() >= killNanos) {
                totalAfter++;
                failedAfter += o.ok() ? 0 : 1;
            }
            if (o.ok() && o.startNanos() >= killNanos) {
                firstSuccessEnd = Math.min(firstSuccessEnd, o.endNanos());
            }
        }

        List<WindowStats> windows = fullWindows(outcomes, killNanos, settings.window().toNanos());
        int steadyFrom = windows.size();
        while (steadyFrom > 0 && windows.get(steadyFrom - 1).isSteady(limit)) {
            steadyFrom--;
        }
        Optional<Duration> timeToSteady = steadyFrom < windows.size()
                ? Optional.of(settings.window().multipliedBy(steadyFrom))
                : Optional.empty();
        Optional<Duration> worst = windows.stream()
                .filter(w -> w.requests() > 0)
                .map(WindowStats::p99Nanos)
                .max(Long::compare)
                .map(Duration::ofNanos);

        return new FailoverFigures(
                Duration.ofNanos(baselineP99),
                baseline.length,
                Duration.ofNanos(limit),
                firstSuccessEnd == Long.MAX_VALUE
                        ? Optional.empty()
                        : Optional.of(Duration.ofNanos(firstSuccessEnd - killNanos)),
                failedAfter,
                totalAfter,
                timeToSteady,
                worst,
                windows.size());
    }

    private record WindowStats(int requests, int failures, long p99Nanos) {

        boolean isSteady(long limitNanos) {
            return requests > 0 && failures == 0 && p99Nanos <= limitNanos;
        }
    }

    /** The full windows from the kill on; outcomes are sorted by start. */
    private static List<WindowStats> fullWindows(List<Outcome> outcomes, long killNanos, long windowNanos) {
        long lastStart = outcomes.isEmpty() ? killNanos : outcomes.getLast().startNanos();
        int count = (int) Math.max(0, Math.floorDiv(lastStart - killNanos, windowNanos));
        List<List<Outcome>> buckets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buckets.add(new ArrayList<>());
        }
        for (Outcome o : outcomes) {
            if (o.startNanos() >= killNanos) {
                long index = (o.startNanos() - killNanos) / windowNanos;
                if (index < count) {
                    buckets.get((int) index).add(o);
                }
            }
        }
        return buckets.stream().map(FailoverFigures::stats).toList();
    }

    private static WindowStats stats(List<Outcome> window) {
        long[] sorted = window.stream().mapToLong(Outcome::latencyNanos).sorted().toArray();
        int failures = (int) window.stream().filter(o -> !o.ok()).count();
        return new WindowStats(sorted.length, failures, sorted.length == 0 ? 0 : p99(sorted));
    }

    private static long[] latencies(List<Outcome> outcomes, long fromNanos, long toNanos) {
        return outcomes.stream()
                .filter(o -> o.startNanos() >= fromNanos && o.startNanos() < toNanos)
                .mapToLong(Outcome::latencyNanos)
                .sorted()
                .toArray();
    }

    /** Nearest rank; {@code sorted} is not empty. */
    private static long p99(long[] sorted) {
        int rank = (int) Math.ceil(0.99 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}

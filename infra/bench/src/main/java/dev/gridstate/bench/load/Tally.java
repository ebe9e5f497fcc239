package dev.gridstate.bench.load;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The counts and histograms of one event loop's share of a run; touched only on that loop. */
final class Tally {

    static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);
    private static final int SIGNIFICANT_DIGITS = 3;

    long sent;
    long completed;
    long ok;
    long timeouts;
    long transportErrors;
    long unsent;
    final Map<Integer, Long> non2xx = new HashMap<>();
    final Histogram latency = histogram();
    final Histogram serviceTime = histogram();

    static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    void answer(int status, long latencyNanos, long serviceNanos) {
        completed++;
        if (status >= 200 && status < 300) {
            ok++;
        } else {
            non2xx.merge(status, 1L, Long::sum);
        }
        latency.recordValue(micros(latencyNanos));
        serviceTime.recordValue(micros(serviceNanos));
    }

    void add(Tally other) {
        sent += other.sent;
        completed += other.completed;
        ok += other.ok;
        timeouts += other.timeouts;
        transportErrors += other.transportErrors;
        unsent += other.unsent;
        other.non2xx.forEach((status, count) -> non2xx.merge(status, count, Long::sum));
        latency.add(other.latency);
        serviceTime.add(other.serviceTime);
    }

    // Past the histogram's range a value is kept at its top rather than dropped.
    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }
}

package dev.gridstate.bench.load;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/** Turns the merged tallies of a run into its {@link LoadResult}. */
final class Results {

    private Results() {
    }

    static LoadResult of(RunPlan plan, Tally total, long connectErrors) {
        LoadSpec spec = plan.spec;
        long measuredNanos = Math.max(0, plan.stopTime() - plan.measureStart);
        double seconds = measuredNanos / 1e9;
        double achieved = seconds > 0 ? total.completed / seconds : 0;
        Latency serviceTime = Latency.of("service time: from writing the request to reading the answer, uncorrected",
                total.serviceTime);
        Latency latency;
        if (plan.open()) {
            latency = Latency.of("from the intended send time at the target rate (coordinated omission corrected)",
                    total.latency);
        } else {
            // Each connection is busy all the time, so its mean interval is its share of the window per answer.
            long expectedIntervalMicros = total.completed > 0 ? measuredNanos / 1000 * plan.connections / total.completed : 0;
            Histogram corrected = expectedIntervalMicros > 0
                    ? total.serviceTime.copyCorrectedForCoordinatedOmission(expectedIntervalMicros)
                    : total.serviceTime.copy();
            latency = Latency.of("service time corrected for coordinated omission at the mean interval per connection of "
                    + expectedIntervalMicros + " us", corrected);
        }
        return new LoadResult(spec.name(), spec.mode(), spec.rate(), achieved,
                total.sent, total.completed, total.ok, total.non2xx, total.timeouts, total.transportErrors, connectErrors,
                total.unsent, plan.saturated(), Duration.ofNanos(measuredNanos), latency, serviceTime);
    }
}

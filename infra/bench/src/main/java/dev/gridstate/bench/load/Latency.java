package dev.gridstate.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution: the histogram in microseconds and its usual percentiles in
 * milliseconds.
 *
 * @param basis what was measured, in words: from the intended send time, the service time, or
 *     the service time corrected for coordinated omission
 */
public record Latency(String basis, Histogram histogram, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

    static Latency of(String basis, Histogram histogram) {
        return new Latency(basis, histogram,
                millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(90)),
                millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getValueAtPercentile(99.9)),
                millis(histogram.getMaxValue()));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("basis", basis);
        map.put("count", count());
        map.put("p50Ms", p50Ms);
        map.put("p90Ms", p90Ms);
        map.put("p99Ms", p99Ms);
        map.put("p999Ms", p999Ms);
        map.put("maxMs", maxMs);
        return map;
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}

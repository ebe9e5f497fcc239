package dev.gridstate.bench;

import dev.gridstate.bench.load.LoadResult;

import java.util.LinkedHashMap;
import java.util.Map;

/** A load run's figures as the tables show them: any answer but a 2xx counts as an error. */
record Load(String name, double rate, long completed, long ok, long errors, Map<String, Long> errorsByKind,
            double p50, double p90, double p99, double p999, double max, boolean saturated, LoadResult result) {

    static Load of(LoadResult r) {
        Map<String, Long> errors = new LinkedHashMap<>();
        r.non2xx().forEach((status, count) -> errors.put(String.valueOf(status), count));
        if (r.timeouts() > 0) {
            errors.put("timeout", r.timeouts());
        }
        if (r.transportErrors() > 0) {
            errors.put("transport", r.transportErrors());
        }
        long total = errors.values().stream().mapToLong(Long::longValue).sum();
        var latency = r.latency();
        return new Load(r.name(), r.achievedRate(), r.completed(), r.ok(), total, errors, latency.p50Ms(),
                latency.p90Ms(), latency.p99Ms(), latency.p999Ms(), latency.maxMs(), r.saturated(), r);
    }

    Map<String, Object> toMap() {
        return new LinkedHashMap<>(result.toMap());
    }
}

package dev.gridstate.bench.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run measured. Counts cover the measured window only: requests whose intended send
 * time (OPEN) or send time (CLOSED) falls after the warmup; connect errors cover the whole run.
 *
 * @param targetRate requests/s asked for (OPEN); 0 for CLOSED
 * @param achievedRate answers (any status) per second of the measured window
 * @param sent requests written
 * @param completed requests answered, whatever the status
 * @param ok answers with a 2xx status
 * @param non2xx the other answers by status code
 * @param timeouts requests not answered within the spec's timeout
 * @param transportErrors requests whose connection failed or was closed before the answer
 * @param connectErrors failed attempts to (re)open a connection
 * @param unsent OPEN only: requests of the measured window that were due but never sent,
 *     because their connection was still busy or down when issuing stopped
 * @param saturated OPEN only: the backlog passed the spec's bound and the run stopped early
 * @param measured the measured window: the duration, or less when saturated
 * @param latency coordinated omission corrected: from each request's intended send time (OPEN),
 *     or the service time corrected with {@code copyCorrectedForCoordinatedOmission} at the mean
 *     interval per connection (CLOSED)
 * @param serviceTime from writing the request to reading the whole answer, uncorrected
 */
public record LoadResult(
        String name,
        LoadMode mode,
        double targetRate,
        double achievedRate,
        long sent,
        long completed,
        long ok,
        Map<Integer, Long> non2xx,
        long timeouts,
        long transportErrors,
        long connectErrors,
        long unsent,
        boolean saturated,
        Duration measured,
        Latency latency,
        Latency serviceTime) {

    public LoadResult {
        non2xx = Map.copyOf(non2xx);
    }

    public long errors() {
        return timeouts + transportErrors;
    }

    /** For JSON: keys in a stable order, times in milliseconds. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("mode", mode.name());
        if (mode == LoadMode.OPEN) {
            map.put("targetRate", targetRate);
        }
        map.put("achievedRate", achievedRate);
        map.put("measuredMs", measured.toMillis());
        map.put("sent", sent);
        map.put("completed", completed);
        map.put("ok", ok);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        new TreeMap<>(non2xx).forEach((status, count) -> byStatus.put(String.valueOf(status), count));
        map.put("non2xx", byStatus);
        map.put("timeouts", timeouts);
        map.put("transportErrors", transportErrors);
        map.put("connectErrors", connectErrors);
        if (mode == LoadMode.OPEN) {
            map.put("unsent", unsent);
            map.put("saturated", saturated);
        }
        map.put("latency", latency.toMap());
        map.put("serviceTime", serviceTime.toMap());
        return map;
    }
}

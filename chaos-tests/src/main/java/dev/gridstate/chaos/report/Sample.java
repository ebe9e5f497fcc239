package dev.gridstate.chaos.report;

/**
 * One second of a scenario run, as its load and its watcher saw it.
 *
 * @param atMs          start of the second, in ms since the scenario started
 * @param requests      client requests that ended in this second
 * @param errors        those of them that failed (a 5xx, or no answer in time)
 * @param p99Ms         99th percentile latency of those requests, ms; 0 when there were none
 * @param breaker       the faulted region's regional-Redis breaker as its gateway reports it:
 *                      {@code closed}, {@code open}, {@code half_open}, or {@code unknown}
 * @param nodesOnline   nodes the faulted region's gateway answers as online
 * @param nodesExpected nodes of the fleet that are alive in that region
 */
public record Sample(long atMs, long requests, long errors, double p99Ms, String breaker, int nodesOnline,
                     int nodesExpected) {
}

/**
 * A wrk2-style HTTP/1.1 load generator for the benchmarks: {@link dev.gridstate.bench.load.LoadGenerator}
 * holds keep-alive connections on a small Netty event loop group and carries out
 * {@link dev.gridstate.bench.load.LoadSpec runs}, OPEN (constant rate, latency from each request's
 * intended send time) or CLOSED (each connection sends again when answered), and returns a
 * {@link dev.gridstate.bench.load.LoadResult} with HdrHistogram latencies.
 *
 * <p>Cheap in CPU on purpose, as it shares the machine with the server it measures: requests are
 * encoded once ({@link dev.gridstate.bench.load.Request}), bodies are decoded only when the
 * {@link dev.gridstate.bench.load.RequestSource} asks, and pacing wakes at most once a millisecond.
 */
package dev.gridstate.bench.load;

package dev.gridstate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code redis-benchmark} (the one that ships with redis-server) against a Redis and reads
 * its summary: the raw Redis side of every "gateway vs Redis" figure.
 */
final class RedisBenchmark {

    private static final Pattern THROUGHPUT = Pattern.compile("throughput summary: ([0-9.]+) requests per second");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*([0-9.]+)% <= ([0-9.]+) milliseconds");

    /** What one run gave: requests/s and latency in ms; CPU of redis-benchmark itself in ms. */
    record Result(String command, int clients, long requests, double rps, double p50, double p99, double p999,
                  double max, double clientCpuMs) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("command", command);
            map.put("clients", clients);
            map.put("requests", requests);
            map.put("rps", rps);
            map.put("p50Ms", p50);
            map.put("p99Ms", p99);
            map.put("p999Ms", p999);
            map.put("maxMs", max);
            map.put("clientCpuMs", clientCpuMs);
            return map;
        }
    }

    private RedisBenchmark() {
    }

    /**
     * Runs about {@code duration} of {@code command} (e.g. {@code SET key:__rand_int__ value})
     * with {@code clients} connections: a short first run gives the rate, which sizes the second.
     */
    static Result run(int port, int clients, Duration duration, int keyspace, List<String> command) {
        Result probe = runCount(port, clients, 20_000, keyspace, command);
        long requests = Math.max(20_000, (long) (probe.rps() * duration.toMillis() / 1000.0));
        return runCount(port, clients, requests, keyspace, command);
    }

    static Result runCount(int port, int clients, long requests, int keyspace, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-c", String.valueOf(clients), "-n", String.valueOf(requests), "-r", String.valueOf(keyspace)));
        argv.addAll(command);
        double cpuBefore = Cpu.reapedChildrenMs();
        String out;
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] bytes = process.getInputStream().readAllBytes();
            // Output has ended, so it is exiting; bounded anyway.
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-benchmark did not exit: " + argv);
            }
            out = new String(bytes, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("redis-benchmark exited with " + process.exitValue() + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-benchmark (is redis-tools installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return parse(String.join(" ", command), clients, requests, out, Cpu.reapedChildrenMs() - cpuBefore);
    }

    /**
     * Reads the summary (throughput; p50, p99 and max of its latency summary) and p99.9 from the
     * first ("by percentile") distribution, whose steps halve what is left: the first step at or
     * above 99.9 % bounds p99.9 from above.
     */
    static Result parse(String command, int clients, long requests, String out, double clientCpuMs) {
        // redis-benchmark redraws its progress line with \r; only the final lines matter
        String[] lines = out.replace('\r', '\n').split("\n");
        double rps = Double.NaN;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        double max = Double.NaN;
        boolean inDistribution = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher throughput = THROUGHPUT.matcher(line);
            if (throughput.find()) {
                rps = Double.parseDouble(throughput.group(1));
            }
            if (line.trim().startsWith("avg") && line.contains("p99") && i + 1 < lines.length) {
                List<String> names = List.of(line.trim().split("\\s+"));
                String[] values = lines[i + 1].trim().split("\\s+");
                p50 = Double.parseDouble(values[names.indexOf("p50")]);
                p99 = Double.parseDouble(values[names.indexOf("p99")]);
                max = Double.parseDouble(values[names.indexOf("max")]);
            }
            if (line.contains("Latency by percentile distribution")) {
                inDistribution = true;
            } else if (line.contains("Cumulative distribution")) {
                inDistribution = false;
            } else if (inDistribution && Double.isNaN(p999)) {
                Matcher m = PERCENTILE.matcher(line);
                if (m.find() && Double.parseDouble(m.group(1)) >= 99.9) {
                    p999 = Double.parseDouble(m.group(2));
                }
            }
        }
        if (Double.isNaN(rps) || Double.isNaN(p99)) {
            throw new IllegalStateException("no summary in redis-benchmark's output:\n" + out);
        }
        return new Result(command, clients, requests, rps, p50, p99, p999, max, clientCpuMs);
    }
}

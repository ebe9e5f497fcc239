package dev.gridstate.gateway.store;

import org.slf4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The measured figures of one scenario, as one {@code name=value} line: logged, and appended to
 * a file under {@code target/} (the gateway module's, where failsafe runs; failover scenarios
 * write {@code failover-figures.txt}), so every run leaves its numbers behind, also when its
 * assertions then fail.
 */
public final class Figures {

    static final Path FILE = Path.of("target", "failover-figures.txt");

    private final String scenario;
    private final Path file;
    private final Map<String, Object> values = new LinkedHashMap<>();

    Figures(String scenario) {
        this(scenario, FILE);
    }

    public Figures(String scenario, Path file) {
        this.scenario = scenario;
        this.file = file;
    }

    public Figures put(String name, Object value) {
        values.put(name, value == null ? "n/a" : value);
        return this;
    }

    /** Milliseconds from {@code fromNanos} to {@code toNanos}, or n/a when the moment never came (negative). */
    public Figures millis(String name, long fromNanos, long toNanos) {
        return put(name, toNanos < 0 ? null : Math.round((toNanos - fromNanos) / 1e6));
    }

    /** p50, p99 and max latency (ms) of {@code samples}, under {@code prefix}. */
    Figures latencies(String prefix, List<SteadyLoad.Sample> samples) {
        double[] ms = samples.stream().mapToDouble(SteadyLoad.Sample::latencyMs).sorted().toArray();
        return put(prefix + "P50Ms", percentile(ms, 50)).put(prefix + "P99Ms", percentile(ms, 99))
                .put(prefix + "MaxMs", ms.length == 0 ? null : round(ms[ms.length - 1]));
    }

    public void publish(Logger log) {
        String line = "scenario=" + scenario + " " + values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        log.info("figures: {}", line);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the figures to " + file.toAbsolutePath(), e);
        }
    }

    /** Nearest-rank percentile of sorted values; null for none. */
    static Double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return round(sorted[Math.max(0, rank - 1)]);
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}

package dev.gridstate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark run found: one table per measurement, the targets met or missed, and the same
 * figures as JSON. Tables print as Markdown, so they can go into BENCHMARKS.md as they are.
 */
final class Report {

    /** One measurement's table, with its notes (how it was measured, what a figure means). */
    record Table(String title, List<String> columns, List<List<String>> rows, List<String> notes) {
    }

    /** A target of the issue: what it asks, what was measured, and whether it holds. */
    record Target(String name, String goal, String measured, Boolean met, String reason) {
    }

    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    void meta(String key, Object value) {
        meta.put(key, value);
    }

    synchronized void table(Table table, PrintStream out) {
        tables.add(table);
        print(table, out);
    }

    synchronized void target(Target target) {
        targets.add(target);
    }

    synchronized void figures(String measurement, Object data) {
        figures.put(measurement, data);
    }

    synchronized void failed(String measurement, Exception e) {
        failures.add(measurement + ": " + e);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    static void print(Table table, PrintStream out) {
        out.println();
        out.println("### " + table.title());
        out.println();
        out.println("| " + String.join(" | ", table.columns()) + " |");
        out.println("|" + " --- |".repeat(table.columns().size()));
        for (List<String> row : table.rows()) {
            out.println("| " + String.join(" | ", row) + " |");
        }
        if (!table.notes().isEmpty()) {
            out.println();
            table.notes().forEach(note -> out.println("- " + note));
        }
        out.flush();
    }

    void printTargets(PrintStream out) {
        out.println();
        out.println("### Targets");
        out.println();
        out.println("| target | goal | measured | met |");
        out.println("| --- | --- | --- | --- |");
        for (Target t : targets) {
            String met = t.met() == null ? "not measured" : t.met() ? "met" : "missed";
            out.println("| " + t.name() + " | " + t.goal() + " | " + t.measured() + " | " + met
                    + (t.reason() == null || t.reason().isBlank() ? "" : ": " + t.reason()) + " |");
        }
        if (!failures.isEmpty()) {
            out.println();
            out.println("Measurements that failed to run:");
            failures.forEach(f -> out.println("- " + f));
        }
        out.flush();
    }

    void writeJson(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("meta", meta);
        json.put("targets", targets);
        json.put("figures", figures);
        json.put("tables", tables);
        json.put("failures", failures);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A figure with the precision a reader needs: 3 significant digits, thousands grouped. */
    static String num(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String seconds(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "–" : num(value) + " ms";
    }
}

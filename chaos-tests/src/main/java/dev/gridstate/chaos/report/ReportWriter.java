package dev.gridstate.chaos.report;

import static dev.gridstate.chaos.report.Markup.escape;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a drill report as JSON (for tools), as one self-contained HTML page (for people: it opens from disk
 * with no network), and a scenario's timeline alone as an SVG image.
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addMixIn(DrillReport.class, WithVerdict.class)
            .addMixIn(ScenarioResult.class, WithVerdict.class)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // The derived verdicts are written for readers of the file; the records have nothing to set from them.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;\
            max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.45}
            h1{font-size:1.6em;margin:0 0 .3em}
            h2{font-size:1.25em;margin:2.2em 0 .4em;padding-top:1em;border-top:1px solid #d0d7de}
            table{border-collapse:collapse;margin:.8em 0}
            th,td{text-align:left;padding:.3em .9em;border-bottom:1px solid #d8dee4;vertical-align:top}
            th{background:#f6f8fa;font-weight:600}
            a{color:#0969da}
            code{font-size:.95em}
            .meta{color:#57606a}
            .verdict{display:inline-block;font-size:.8em;font-weight:700;color:#fff;padding:.1em .5em;\
            border-radius:4px;vertical-align:middle}
            .verdict.pass{background:#1a7f37}
            .verdict.fail{background:#cf222e}
            td.pass{color:#1a7f37}
            td.fail{color:#cf222e;font-weight:700}
            pre.error{background:#fff5f5;border:1px solid #ffcecb;padding:.6em .8em;white-space:pre-wrap}
            svg{max-width:100%;height:auto}
            """;

    private ReportWriter() {
    }

    /** Writes the report as JSON, with each verdict ({@code passed}) next to what it is derived from. */
    public static void writeJson(DrillReport report, Path file) throws IOException {
        JSON.writeValue(createParent(file).toFile(), report);
    }

    /** Reads a report {@link #writeJson} wrote. */
    public static DrillReport readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), DrillReport.class);
    }

    /** Writes the report as one HTML page that needs nothing else: styles and charts are inline. */
    public static void writeHtml(DrillReport report, Path file) throws IOException {
        Files.writeString(createParent(file), html(report), UTF_8);
    }

    /** The scenario's timeline chart as a standalone SVG document. */
    public static String svg(ScenarioResult scenario) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + TimelineSvg.render(scenario);
    }

    public static void writeSvg(ScenarioResult scenario, Path file) throws IOException {
        Files.writeString(createParent(file), svg(scenario), UTF_8);
    }

    /** Also well-formed XML, so a test can read it with a plain XML parser. */
    private static String html(DrillReport report) {
        List<ScenarioResult> scenarios = report.scenarios();
        StringBuilder out = new StringBuilder(65_536);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Drill report: ").append(escape(report.target())).append(" (")
                .append(verdictWord(report.passed())).append(")</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");

        out.append("<header>\n<h1>Drill report ").append(verdict(report.passed(), "drill-verdict")).append("</h1>\n")
                .append("<p class=\"meta\">Target <b>").append(escape(report.target())).append("</b> · started ")
                .append(escape(report.startedAt())).append(" · ").append(scenarios.size())
                .append(scenarios.size() == 1 ? " scenario" : " scenarios").append("</p>\n")
                .append("<table id=\"summary\">\n<tr><th>Scenario</th><th>Title</th><th>Verdict</th></tr>\n");
        for (int i = 0; i < scenarios.size(); i++) {
            ScenarioResult s = scenarios.get(i);
            out.append("<tr><td><a href=\"#").append(anchor(i)).append("\"><code>").append(escape(s.id()))
                    .append("</code></a></td><td>").append(escape(s.title())).append("</td><td>")
                    .append(verdict(s.passed(), null)).append("</td></tr>\n");
        }
        out.append("</table>\n</header>\n");

        for (int i = 0; i < scenarios.size(); i++) {
            scenario(out, scenarios.get(i), anchor(i));
        }
        return out.append("</body>\n</html>\n").toString();
    }

    private static void scenario(StringBuilder out, ScenarioResult s, String anchor) {
        out.append("<section id=\"").append(anchor).append("\">\n<h2>").append(escape(s.title())).append(' ')
                .append(verdict(s.passed(), null)).append("</h2>\n")
                .append("<p class=\"meta\"><code>").append(escape(s.id())).append("</code> · fault from ")
                .append(seconds(s.faultStartMs()))
                .append(s.faultEndMs() >= s.faultStartMs() ? " to " + seconds(s.faultEndMs()) : ", not lifted")
                .append(" · ended at ").append(seconds(s.endMs())).append("</p>\n")
                .append("<p><b>Fault:</b> ").append(escape(s.fault())).append("</p>\n");
        if (s.error() != null) {
            out.append("<pre class=\"error\">").append(escape(s.error())).append("</pre>\n");
        }
        out.append("<table class=\"figures\">\n")
                .append("<tr><th>Figure</th><th>Measured</th><th>Limit</th><th>Result</th></tr>\n");
        for (Figure f : s.figures()) {
            String result = f.passed() ? "pass" : "fail";
            out.append("<tr><td>").append(escape(f.name())).append("</td><td>").append(escape(f.measured()))
                    .append("</td><td>").append(escape(f.limit())).append("</td><td class=\"").append(result)
                    .append("\">").append(result).append("</td></tr>\n");
        }
        if (s.figures().isEmpty()) {
            out.append("<tr><td colspan=\"4\" class=\"meta\">no figures</td></tr>\n");
        }
        out.append("</table>\n").append(TimelineSvg.render(s)).append("</section>\n");
    }

    /** Scenario ids need not be unique or fit an HTML id; the position does both. */
    private static String anchor(int index) {
        return "scenario-" + (index + 1);
    }

    private static String verdict(boolean passed, String id) {
        return "<span class=\"verdict " + (passed ? "pass" : "fail") + "\"" + (id == null ? "" : " id=\"" + id + "\"")
                + ">" + verdictWord(passed) + "</span>";
    }

    private static String verdictWord(boolean passed) {
        return passed ? "PASS" : "FAIL";
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
    }

    private static Path createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return file;
    }

    /** Adds the derived verdict to what Jackson writes of a record. */
    private interface WithVerdict {

        @JsonProperty("passed")
        boolean passed();
    }
}

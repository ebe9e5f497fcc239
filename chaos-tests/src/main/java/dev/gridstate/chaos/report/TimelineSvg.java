package dev.gridstate.chaos.report;

import static dev.gridstate.chaos.report.Markup.escape;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One scenario's timeline as an {@code <svg>} element: four panels over one time axis (seconds since the
 * scenario started), the fault's window shaded across them. Only inline attributes, no classes or external
 * references, so the element renders on its own, e.g. as an image in a README.
 */
final class TimelineSvg {

    static final String GREEN = "#1a7f37";
    static final String AMBER = "#d4a72c";
    static final String RED = "#cf222e";
    static final String GREY = "#afb8c1";
    private static final String BLUE = "#0969da";
    private static final String PURPLE = "#8250df";
    private static final String INK = "#1f2328";
    private static final String MUTED = "#57606a";
    private static final String RULE = "#d0d7de";
    private static final String GRID = "#eaeef2";
    private static final String FAULT_SHADE = "#fd8c73";

    private static final int WIDTH = 960;
    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int FIRST_PANEL_TOP = 84;
    private static final int LABEL_HEIGHT = 18;
    private static final int PANEL_GAP = 14;
    private static final long[] TIME_STEPS_S = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};

    private final ScenarioResult scenario;
    private final List<Sample> samples;
    private final double domainMs;
    private final long timeStepMs;
    private final StringBuilder out = new StringBuilder(16_384);

    private TimelineSvg(ScenarioResult scenario) {
        this.scenario = scenario;
        this.samples = scenario.samples() == null ? List.of() : scenario.samples();
        double lastMs = samples.stream().mapToDouble(s -> s.atMs() + 1000.0).max().orElse(0);
        this.domainMs = Math.max(1000, Math.max(lastMs,
                Math.max(scenario.endMs(), Math.max(scenario.faultStartMs(), scenario.faultEndMs()))));
        this.timeStepMs = timeStep(domainMs);
    }

    /** The chart of the scenario; never throws for an empty or odd timeline. */
    static String render(ScenarioResult scenario) {
        return new TimelineSvg(scenario).render();
    }

    private record Panel(String label, double top, double height, double max, double step) {

        double bottom() {
            return top + height;
        }

        double y(double value) {
            double v = Double.isFinite(value) ? Math.min(Math.max(value, 0), max) : 0;
            return bottom() - v / max * height;
        }
    }

    private record Key(String name, String color, boolean dashed, int thickness) {
    }

    private String render() {
        Panel rates = panel("Requests per second", FIRST_PANEL_TOP + LABEL_HEIGHT, 110,
                Math.max(max(Sample::requests), max(Sample::errors)), 4);
        Panel latency = panel("p99 latency, ms", below(rates), 80, max(Sample::p99Ms), 10);
        Panel breaker = panel("Regional Redis breaker", below(latency), 22, 1, 1);
        Panel nodes = panel("Nodes online", below(breaker), 80,
                Math.max(max(Sample::nodesOnline), max(Sample::nodesExpected)), 4);
        int height = (int) nodes.bottom() + 46;

        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n");
        out.append("<title>").append(escape(scenario.title())).append("</title>\n");
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        header();
        faultShade(rates.top(), nodes.bottom());

        axes(rates, true);
        legend(rates, new Key("requests", BLUE, false, 2), new Key("errors", RED, false, 2));
        stepLine(rates, Sample::requests, BLUE, false);
        stepLine(rates, Sample::errors, RED, false);

        axes(latency, true);
        stepLine(latency, Sample::p99Ms, PURPLE, false);

        axes(breaker, false);
        legend(breaker, new Key("closed", GREEN, false, 8), new Key("half_open", AMBER, false, 8),
                new Key("open", RED, false, 8), new Key("unknown", GREY, false, 8));
        breakerBand(breaker);

        axes(nodes, true);
        legend(nodes, new Key("online", BLUE, false, 2), new Key("expected", MUTED, true, 2));
        stepLine(nodes, Sample::nodesOnline, BLUE, false);
        stepLine(nodes, Sample::nodesExpected, MUTED, true);

        if (samples.isEmpty()) {
            text(LEFT + PLOT_WIDTH / 2.0, rates.top() + rates.height() / 2 + 5,
                    "font-size=\"14\" font-style=\"italic\" fill=\"" + MUTED + "\" text-anchor=\"middle\"", "no samples");
        }
        faultMarkers(rates.top(), nodes.bottom());
        timeAxis(nodes.bottom());
        return out.append("</svg>\n").toString();
    }

    private void header() {
        boolean passed = scenario.passed();
        text(16, 26, "font-size=\"16\" font-weight=\"bold\" fill=\"" + INK + "\"", clip(scenario.title(), 90));
        text(WIDTH - RIGHT, 26, "font-size=\"15\" font-weight=\"bold\" text-anchor=\"end\" fill=\""
                + (passed ? GREEN : RED) + "\"", passed ? "PASS" : "FAIL");
        text(16, 48, "font-size=\"12\" fill=\"" + MUTED + "\"",
                clip(scenario.id() + " · " + scenario.fault(), 140));
    }

    private void axes(Panel p, boolean yTicks) {
        text(LEFT, p.top() - 6, "font-size=\"12\" font-weight=\"bold\" fill=\"" + INK + "\"", p.label());
        for (long t = 0; t <= domainMs; t += timeStepMs) {
            line(x(t), p.top(), x(t), p.bottom(), GRID, "");
        }
        if (yTicks) {
            for (int k = 0; k * p.step() <= p.max() * 1.0001; k++) {
                double v = k * p.step();
                line(LEFT, p.y(v), LEFT + PLOT_WIDTH, p.y(v), GRID, "");
                text(LEFT - 6, p.y(v) + 4, "text-anchor=\"end\" fill=\"" + MUTED + "\"", tickLabel(v));
            }
        }
        out.append("<rect x=\"").append(LEFT).append("\" y=\"").append(num(p.top())).append("\" width=\"")
                .append(PLOT_WIDTH).append("\" height=\"").append(num(p.height()))
                .append("\" fill=\"none\" stroke=\"").append(RULE).append("\"/>\n");
    }

    /** Keys right-aligned on the panel's label line. */
    private void legend(Panel p, Key... keys) {
        double x = LEFT + PLOT_WIDTH;
        double y = p.top() - 6;
        for (int i = keys.length - 1; i >= 0; i--) {
            Key key = keys[i];
            x -= 20 + key.name().length() * 6.8;
            line(x, y - 4, x + 14, y - 4, key.color(), "stroke-width=\"" + key.thickness() + "\""
                    + (key.dashed() ? " stroke-dasharray=\"4 3\"" : ""));
            text(x + 18, y, "fill=\"" + MUTED + "\"", key.name());
            x -= 12;
        }
    }

    /** A value holds for its whole second (or until the next sample), so each series is drawn as steps. */
    private void stepLine(Panel p, ToDoubleFunction<Sample> value, String color, boolean dashed) {
        if (samples.isEmpty()) {
            return;
        }
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < samples.size(); i++) {
            String y = num(p.y(value.applyAsDouble(samples.get(i))));
            points.append(num(x(samples.get(i).atMs()))).append(',').append(y).append(' ')
                    .append(num(x(endOfSample(i)))).append(',').append(y).append(' ');
        }
        out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.6\"")
                .append(" stroke-linejoin=\"round\"").append(dashed ? " stroke-dasharray=\"6 4\"" : "")
                .append(" points=\"").append(points.toString().trim()).append("\"/>\n");
    }

    /** One rectangle per run of samples in the same state. */
    private void breakerBand(Panel p) {
        int i = 0;
        while (i < samples.size()) {
            String state = breakerState(samples.get(i).breaker());
            int j = i;
            while (j + 1 < samples.size() && breakerState(samples.get(j + 1).breaker()).equals(state)) {
                j++;
            }
            double x0 = x(samples.get(i).atMs());
            double x1 = x(endOfSample(j));
            out.append("<rect data-state=\"").append(state).append("\" x=\"").append(num(x0))
                    .append("\" y=\"").append(num(p.top())).append("\" width=\"").append(num(Math.max(0, x1 - x0)))
                    .append("\" height=\"").append(num(p.height())).append("\" fill=\"").append(breakerColor(state))
                    .append("\"><title>").append(state).append(", ").append(seconds(samples.get(i).atMs()))
                    .append(" to ").append(seconds(endOfSample(j))).append("</title></rect>\n");
            i = j + 1;
        }
    }

    static String breakerState(String reported) {
        String state = reported == null ? "" : reported.toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (state) {
            case "closed", "half_open", "open" -> state;
            default -> "unknown";
        };
    }

    static String breakerColor(String state) {
        return switch (state) {
            case "closed" -> GREEN;
            case "half_open" -> AMBER;
            case "open" -> RED;
            default -> GREY;
        };
    }

    private void faultShade(double top, double bottom) {
        double x0 = x(scenario.faultStartMs());
        out.append("<rect data-role=\"fault-window\" x=\"").append(num(x0)).append("\" y=\"").append(num(top))
                .append("\" width=\"").append(num(Math.max(0, x(faultEndMs()) - x0))).append("\" height=\"")
                .append(num(bottom - top)).append("\" fill=\"").append(FAULT_SHADE)
                .append("\" fill-opacity=\"0.16\"/>\n");
    }

    /** "fault" left of the start line and "lifted" right of the end line, so they never overlap. */
    private void faultMarkers(double top, double bottom) {
        double start = x(scenario.faultStartMs());
        String dash = "stroke-width=\"1.2\" stroke-dasharray=\"3 3\"";
        line(start, top - LABEL_HEIGHT, start, bottom, RED, "data-role=\"fault-start\" " + dash);
        text(start - 4, top - LABEL_HEIGHT - 4, "text-anchor=\"end\" font-weight=\"bold\" fill=\"" + RED + "\"", "fault");
        if (scenario.faultEndMs() >= scenario.faultStartMs()) {
            double end = x(scenario.faultEndMs());
            line(end, top - LABEL_HEIGHT, end, bottom, GREEN, "data-role=\"fault-end\" " + dash);
            text(end + 4, top - LABEL_HEIGHT - 4, "font-weight=\"bold\" fill=\"" + GREEN + "\"", "lifted");
        }
    }

    private void timeAxis(double bottom) {
        for (long t = 0; t <= domainMs; t += timeStepMs) {
            line(x(t), bottom, x(t), bottom + 4, MUTED, "");
            text(x(t), bottom + 16, "text-anchor=\"middle\" fill=\"" + MUTED + "\"", Long.toString(t / 1000));
        }
        text(LEFT + PLOT_WIDTH / 2.0, bottom + 36, "text-anchor=\"middle\" fill=\"" + MUTED + "\"",
                "seconds since the scenario started");
    }

    /** A fault never lifted (its end before its start) stays shaded to the end of the chart. */
    private double faultEndMs() {
        return scenario.faultEndMs() >= scenario.faultStartMs() ? scenario.faultEndMs() : domainMs;
    }

    private long endOfSample(int i) {
        return i + 1 < samples.size() ? samples.get(i + 1).atMs() : samples.get(i).atMs() + 1000;
    }

    /** About ten ticks, on round numbers of seconds. */
    private static long timeStep(double domainMs) {
        double seconds = domainMs / 1000;
        for (long step : TIME_STEPS_S) {
            if (seconds / step <= 12) {
                return step * 1000;
            }
        }
        return (long) Math.ceil(seconds / 12 / 3600) * 3_600_000;
    }

    private double x(double ms) {
        return LEFT + Math.min(Math.max(ms, 0), domainMs) / domainMs * PLOT_WIDTH;
    }

    private double max(ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(0);
    }

    private static double below(Panel above) {
        return above.bottom() + PANEL_GAP + LABEL_HEIGHT;
    }

    /** Y scaled to the data, never below {@code floor} so an all-zero series still has an axis. */
    private static Panel panel(String label, double top, double height, double dataMax, double floor) {
        double max = Math.max(dataMax, floor);
        double raw = max / 4;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
        return new Panel(label, top, height, Math.ceil(max / step - 1e-9) * step, step);
    }

    private void line(double x1, double y1, double x2, double y2, String color, String attrs) {
        out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"")
                .append(num(x2)).append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(color).append('"');
        if (!attrs.isEmpty()) {
            out.append(' ').append(attrs);
        }
        out.append("/>\n");
    }

    private void text(double x, double y, String attrs, String content) {
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" ").append(attrs)
                .append('>').append(escape(content)).append("</text>\n");
    }

    private static String clip(String text, int max) {
        String s = text == null ? "" : text;
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String seconds(long ms) {
        return num(ms / 1000.0) + " s";
    }

    private static String tickLabel(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : num(v);
    }

    private static String num(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : Double.toString(tenths / 10.0);
    }
}

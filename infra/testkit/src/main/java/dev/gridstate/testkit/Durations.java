package dev.gridstate.testkit;

import java.time.Duration;
import java.util.Locale;

/** Durations as operators write them on a command line. */
public final class Durations {

    private Durations() {
    }

    /** {@code 5s}, {@code 500ms}, {@code 1m}, or ISO-8601 ({@code PT5S}). */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s") || v.endsWith("m")) {
            return Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
        }
        return Duration.parse(value);
    }
}

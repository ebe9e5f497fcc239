package dev.gridstate.chaos.report;

import java.util.List;

/**
 * One scenario's run: its timeline, the fault's window on it, and its verdict.
 *
 * @param id           short name, e.g. {@code regional-redis-killed}
 * @param title        one line for people
 * @param fault        what was done, and to what
 * @param faultStartMs when the fault began, ms since the scenario started
 * @param faultEndMs   when it was lifted, ms since the scenario started
 * @param endMs        when the scenario ended, ms since it started
 * @param samples      one per second, in order
 * @param figures      the checks, in the order they are shown
 * @param error        why the scenario could not run to its end, or null
 */
public record ScenarioResult(String id, String title, String fault, long faultStartMs, long faultEndMs, long endMs,
                             List<Sample> samples, List<Figure> figures, String error) {

    /** Passed: it ran to its end and every figure is within its limit. */
    public boolean passed() {
        return error == null && !figures.isEmpty() && figures.stream().allMatch(Figure::passed);
    }
}

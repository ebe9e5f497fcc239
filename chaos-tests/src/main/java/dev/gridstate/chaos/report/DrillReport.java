package dev.gridstate.chaos.report;

import java.util.List;

/**
 * A drill: the scenarios run against one deployment, one after the other.
 *
 * @param startedAt ISO-8601 instant the drill started
 * @param target    the deployment, as people name it (its first gateway URL, or "local topology")
 * @param scenarios in the order they ran
 */
public record DrillReport(String startedAt, String target, List<ScenarioResult> scenarios) {

    public boolean passed() {
        return !scenarios.isEmpty() && scenarios.stream().allMatch(ScenarioResult::passed);
    }
}

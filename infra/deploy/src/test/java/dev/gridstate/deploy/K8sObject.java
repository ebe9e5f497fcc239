package dev.gridstate.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One object an overlay renders, as plain maps, with the few ways into it the checks need.
 *
 * @param overlay the overlay that rendered it
 * @param raw     the object
 */
record K8sObject(String overlay, Map<String, Object> raw) {

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    String apiVersion() {
        return Tree.string(raw, "apiVersion");
    }

    String kind() {
        return Tree.string(raw, "kind");
    }

    String name() {
        return Tree.string(raw, "metadata", "name");
    }

    /** For messages: {@code eu-west: Deployment gateway}. */
    String where() {
        return overlay + ": " + kind() + " " + name();
    }

    boolean isWorkload() {
        return WORKLOADS.contains(kind());
    }

    Map<String, Object> podSpec() {
        return Tree.map(raw, "spec", "template", "spec");
    }

    Map<String, String> podLabels() {
        return strings(Tree.map(raw, "spec", "template", "metadata", "labels"));
    }

    List<Map<String, Object>> containers() {
        return Tree.maps(podSpec(), "containers");
    }

    /** What it selects: a Service's selector, or the matchLabels of a workload's or a budget's selector. */
    Map<String, String> selector() {
        return strings(kind().equals("Service") ? Tree.map(raw, "spec", "selector") : Tree.map(raw, "spec", "selector", "matchLabels"));
    }

    int replicas() {
        String replicas = Tree.string(raw, "spec", "replicas");
        return replicas == null ? 1 : Integer.parseInt(replicas);
    }

    /** Whether its pods carry every label of {@code selector} (an empty selector selects nothing here). */
    boolean podsMatch(Map<String, String> selector) {
        return !selector.isEmpty() && podLabels().entrySet().containsAll(selector.entrySet());
    }

    /** The value after {@code option} in a container's args ({@code --dir /data}), or null. */
    static String argument(Map<String, Object> container, String option) {
        List<String> args = Tree.strings(container, "args");
        int at = args.indexOf(option);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
    }

    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }
}

package dev.gridstate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How the rendered workloads run: probes, resources, disruption budgets, shutdown, Services, images. */
final class WorkloadChecks {

    static final String LIVENESS = "/health/liveness";
    static final String READINESS = "/health/readiness";
    /**
     * How long a gateway takes to stop after SIGTERM, at most: it exports what is still marked and
     * sends its outbox (up to 5 s), and hands its jobs back to the broker; the rest is slack.
     */
    static final int GATEWAY_STOP_SECONDS = 15;
    /** Kubernetes' default terminationGracePeriodSeconds. */
    private static final int DEFAULT_GRACE_SECONDS = 30;

    private WorkloadChecks() {
    }

    /** Our programs are probed on their HTTP port: liveness at /health/liveness, readiness at /health/readiness. */
    static List<String> probes(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Program program : manifests.programs()) {
            for (Map.Entry<K8sObject, Map<String, Object>> each : manifests.containersOf(program)) {
                String where = each.getKey().where() + " container " + Tree.string(each.getValue(), "name");
                Map<String, Object> port = Tree.maps(each.getValue(), "ports").stream()
                        .filter(p -> String.valueOf(program.httpPort()).equals(Tree.string(p, "containerPort"))).findFirst()
                        .orElse(null);
                if (port == null) {
                    problems.add(where + ": " + program.name() + " serves HTTP on " + program.httpPort()
                            + " (micronaut.server.port), but the container declares " + Tree.maps(each.getValue(), "ports"));
                    continue;
                }
                problems.addAll(probe(where, each.getValue(), "livenessProbe", LIVENESS, port));
                problems.addAll(probe(where, each.getValue(), "readinessProbe", READINESS, port));
            }
        }
        return problems;
    }

    /** Every container asks for CPU and memory, and is bounded in memory. */
    static List<String> resources(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : manifests.workloads()) {
            for (Map<String, Object> container : workload.containers()) {
                for (String[] path : List.of(new String[]{"requests", "cpu"}, new String[]{"requests", "memory"},
                        new String[]{"limits", "memory"})) {
                    if (Tree.string(container, "resources", path[0], path[1]) == null) {
                        problems.add(workload.where() + " container " + Tree.string(container, "name") + " has no resources."
                                + path[0] + "." + path[1] + (path[0].equals("requests")
                                ? ": the scheduler cannot reserve room for it" : ": one leak can take the whole node's memory"));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Each region's gateways have a budget that keeps one serving through drains, and every
     * budget selects pods and still lets a drain take one.
     */
    static List<String> disruptionBudgets(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        List<K8sObject> budgets = manifests.ofKind("PodDisruptionBudget");
        for (K8sObject budget : budgets) {
            List<K8sObject> selected = manifests.overlays().get(budget.overlay()).stream()
                    .filter(o -> o.isWorkload() && o.podsMatch(budget.selector())).toList();
            if (selected.isEmpty()) {
                problems.add(budget.where() + " selects no pods (selector " + budget.selector() + ")");
            }
            String minAvailable = Tree.string(budget.raw(), "spec", "minAvailable");
            for (K8sObject workload : selected) {
                if (minAvailable != null && !minAvailable.endsWith("%") && Integer.parseInt(minAvailable) >= workload.replicas()) {
                    problems.add(budget.where() + " wants " + minAvailable + " of the " + workload.replicas() + " pods of "
                            + workload.name() + " available: it allows no voluntary disruption, and every node drain hangs");
                }
            }
        }
        for (K8sObject gateways : manifests.containersOf(manifests.gateway()).stream().map(Map.Entry::getKey).distinct().toList()) {
            if (budgets.stream().noneMatch(b -> b.overlay().equals(gateways.overlay()) && gateways.podsMatch(b.selector()))) {
                problems.add(gateways.where() + " has no PodDisruptionBudget: a drain may take all its replicas at once");
            }
        }
        return problems;
    }

    /**
     * A gateway stops cleanly: a preStop pause lets endpoint removal spread before SIGTERM, and
     * the grace period covers that pause and the gateway's own stop.
     */
    static List<String> gracefulShutdown(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<K8sObject, Map<String, Object>> each : manifests.containersOf(manifests.gateway())) {
            K8sObject workload = each.getKey();
            List<String> command = Tree.strings(each.getValue(), "lifecycle", "preStop", "exec", "command");
            String sleep = Tree.string(each.getValue(), "lifecycle", "preStop", "sleep", "seconds");
            int pause = command.size() == 2 && command.get(0).equals("sleep") ? Integer.parseInt(command.get(1))
                    : sleep != null ? Integer.parseInt(sleep) : -1;
            String grace = Tree.string(workload.podSpec(), "terminationGracePeriodSeconds");
            int graceSeconds = grace == null ? DEFAULT_GRACE_SECONDS : Integer.parseInt(grace);
            if (pause < 0) {
                problems.add(workload.where() + " has no preStop pause: its pods get SIGTERM while Services still send them requests");
            } else if (graceSeconds < pause + GATEWAY_STOP_SECONDS) {
                problems.add(workload.where() + " has terminationGracePeriodSeconds " + graceSeconds + ", less than its preStop pause ("
                        + pause + " s) and a gateway's stop (" + GATEWAY_STOP_SECONDS + " s): it may be killed with its outbox unsent");
            }
        }
        return problems;
    }

    /** Every Service selects pods of the overlay, and each of its ports reaches a port those pods declare. */
    static List<String> services(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (K8sObject service : manifests.ofKind("Service")) {
            List<K8sObject> selected = manifests.overlays().get(service.overlay()).stream()
                    .filter(o -> o.isWorkload() && o.podsMatch(service.selector())).toList();
            if (selected.isEmpty()) {
                problems.add(service.where() + " selects no pods (selector " + service.selector() + ")");
                continue;
            }
            List<Map<String, Object>> ports = selected.stream().flatMap(w -> w.containers().stream())
                    .flatMap(c -> Tree.maps(c, "ports").stream()).toList();
            for (Map<String, Object> port : Tree.maps(service.raw(), "spec", "ports")) {
                String target = Objects.toString(Tree.string(port, "targetPort"), Tree.string(port, "port"));
                if (ports.stream().noneMatch(p -> target.equals(Tree.string(p, "name")) || target.equals(Tree.string(p, "containerPort")))) {
                    problems.add(service.where() + " sends port " + Tree.string(port, "port") + " to " + target
                            + ", but no container of its pods has a port named or numbered so");
                }
            }
        }
        return problems;
    }

    /** Our containers run the images the build makes, at the project version. */
    static List<String> images(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : manifests.workloads()) {
            for (Map<String, Object> container : workload.containers()) {
                String image = Tree.string(container, "image");
                if (image == null || !Program.repository(image).startsWith("gridstate/")) {
                    continue;
                }
                if (Program.running(image, manifests.programs()).isEmpty()) {
                    problems.add(workload.where() + " runs " + image + ", which no module builds");
                } else if (!Program.tag(image).equals(manifests.version())) {
                    problems.add(workload.where() + " runs " + image + " but the images profile tags " + manifests.version()
                            + " (the project version)");
                }
            }
        }
        return problems;
    }

    private static List<String> probe(String where, Map<String, Object> container, String probe, String path,
                                      Map<String, Object> port) {
        Map<String, Object> get = Tree.map(container, probe, "httpGet");
        if (get.isEmpty()) {
            return List.of(where + " has no " + probe + " with httpGet " + path);
        }
        List<String> problems = new ArrayList<>();
        if (!path.equals(Tree.string(get, "path"))) {
            problems.add(where + ": its " + probe + " asks " + Tree.string(get, "path") + ", not " + path);
        }
        String probed = Tree.string(get, "port");
        if (!Objects.equals(probed, Tree.string(port, "name")) && !Objects.equals(probed, Tree.string(port, "containerPort"))) {
            problems.add(where + ": its " + probe + " asks port " + probed + ", not the HTTP port " + Tree.string(port, "containerPort"));
        }
        return problems;
    }
}

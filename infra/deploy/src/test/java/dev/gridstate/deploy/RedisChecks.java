package dev.gridstate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two kinds of Redis as the design has them: central durable on a claim of its own,
 * regional volatile with nothing to keep, each running the project's configuration file.
 */
final class RedisChecks {

    static final String CENTRAL_CONF = "central.conf";
    static final String REGIONAL_CONF = "regional.conf";
    /** Volumes that hold configuration, not data. */
    private static final Set<String> CONFIG_VOLUMES = Set.of("configMap", "secret", "projected");

    private RedisChecks() {
    }

    /** Central Redis is a StatefulSet whose --dir is a volumeClaimTemplate: its AOF outlives every pod. */
    static List<String> centralOnAClaim(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        List<Map.Entry<K8sObject, Map<String, Object>>> central = running(manifests, CENTRAL_CONF);
        if (central.size() != 1) {
            problems.add(central.size() + " containers run " + CENTRAL_CONF + "; there must be exactly one central Redis");
        }
        for (Map.Entry<K8sObject, Map<String, Object>> each : central) {
            K8sObject workload = each.getKey();
            String dir = K8sObject.argument(each.getValue(), "--dir");
            List<String> claims = Tree.maps(workload.raw(), "spec", "volumeClaimTemplates").stream()
                    .map(c -> Tree.string(c, "metadata", "name")).toList();
            boolean onClaim = Tree.maps(each.getValue(), "volumeMounts").stream()
                    .anyMatch(m -> claims.contains(Tree.string(m, "name")) && Tree.string(m, "mountPath").equals(dir));
            if (!workload.kind().equals("StatefulSet") || !onClaim) {
                problems.add(workload.where() + " keeps its --dir " + dir + " on no volumeClaimTemplate (claims: " + claims
                        + "): its AOF and snapshots die with the pod");
            }
        }
        return problems;
    }

    /**
     * A regional Redis has no volume but its configuration (a restart comes back empty, as the
     * gateways expect), and never two run at once behind its Service.
     */
    static List<String> regionalVolatile(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        List<Map.Entry<K8sObject, Map<String, Object>>> regional = running(manifests, REGIONAL_CONF);
        if (regional.isEmpty()) {
            problems.add("no container runs " + REGIONAL_CONF);
        }
        for (K8sObject workload : regional.stream().map(Map.Entry::getKey).distinct().toList()) {
            if (!Tree.list(workload.raw(), "spec", "volumeClaimTemplates").isEmpty()) {
                problems.add(workload.where() + " has volumeClaimTemplates: a regional Redis keeps nothing");
            }
            for (Map<String, Object> volume : Tree.maps(workload.podSpec(), "volumes")) {
                String type = volume.keySet().stream().filter(k -> !k.equals("name")).findFirst().orElse("?");
                if (!CONFIG_VOLUMES.contains(type)) {
                    problems.add(workload.where() + ": volume " + Tree.string(volume, "name") + " is " + type
                            + ": a regional Redis keeps nothing, so it has no volume for data");
                }
            }
            String strategy = Tree.string(workload.raw(), "spec", "strategy", "type");
            if (workload.replicas() > 1 || (workload.kind().equals("Deployment") && !"Recreate".equals(strategy))) {
                problems.add(workload.where() + " may run two at once (replicas " + workload.replicas() + ", strategy " + strategy
                        + "): its Service would spread the region over two Redis servers; use one replica and Recreate");
            }
        }
        return problems;
    }

    /** Each Redis reads the project's own file: the ConfigMap mounted where its args point holds it byte for byte. */
    static List<String> projectConf(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (String conf : List.of(CENTRAL_CONF, REGIONAL_CONF)) {
            String project = manifests.repo().read("infra/redis/" + conf);
            for (Map.Entry<K8sObject, Map<String, Object>> each : running(manifests, conf)) {
                String path = Tree.strings(each.getValue(), "args").stream().filter(a -> a.endsWith("/" + conf)).findFirst()
                        .orElseThrow();
                String held = mounted(manifests, each.getKey(), each.getValue(), path);
                if (!project.equals(held)) {
                    problems.add(each.getKey().where() + " reads " + path + ", which does not hold infra/redis/" + conf
                            + (held == null ? " (nothing from a ConfigMap is mounted there)"
                            : "; copy the file again into the kustomize base (kustomize reads no file outside it)"));
                }
            }
        }
        return problems;
    }

    /** The containers that run redis-server with {@code conf}. */
    private static List<Map.Entry<K8sObject, Map<String, Object>>> running(Manifests manifests, String conf) {
        List<Map.Entry<K8sObject, Map<String, Object>>> found = new ArrayList<>();
        for (K8sObject workload : manifests.workloads()) {
            for (Map<String, Object> container : workload.containers()) {
                if (Tree.strings(container, "args").stream().anyMatch(a -> a.endsWith("/" + conf))) {
                    found.add(Map.entry(workload, container));
                }
            }
        }
        return found;
    }

    /** The text a ConfigMap volume puts at {@code path} in the container, or null. */
    private static String mounted(Manifests manifests, K8sObject workload, Map<String, Object> container, String path) {
        for (Map<String, Object> mount : Tree.maps(container, "volumeMounts")) {
            String dir = Tree.string(mount, "mountPath");
            if (!path.startsWith(dir + "/")) {
                continue;
            }
            String key = path.substring(dir.length() + 1);
            for (Map<String, Object> volume : Tree.maps(workload.podSpec(), "volumes")) {
                String configMap = Tree.string(volume, "configMap", "name");
                if (configMap != null && Tree.string(volume, "name").equals(Tree.string(mount, "name"))) {
                    return manifests.overlays().get(workload.overlay()).stream()
                            .filter(o -> "ConfigMap".equals(o.kind()) && configMap.equals(o.name()))
                            .map(o -> Tree.string(o.raw(), "data", key)).findFirst().orElse(null);
                }
            }
        }
        return null;
    }
}

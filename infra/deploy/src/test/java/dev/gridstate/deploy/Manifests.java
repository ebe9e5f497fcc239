package dev.gridstate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every overlay of infra/k8s rendered by {@code kubectl kustomize}, which is what
 * {@code kubectl apply -k} would send, and what the checks hold them to.
 *
 * @param overlays the rendered objects by overlay name
 */
record Manifests(Repo repo, Map<String, List<K8sObject>> overlays, Program gateway, Program replicator, String version) {

    /** The overlay of what the regions share; every other one is a region. */
    static final String CENTRAL = "central";
    static final String OVERLAYS = "infra/k8s/overlays";

    static Manifests render(Repo repo) {
        Map<String, List<K8sObject>> overlays = new LinkedHashMap<>();
        for (String overlay : names(repo)) {
            Tool.Result result = kustomize(repo, overlay);
            if (result.exit() != 0) {
                throw new AssertionError("kubectl kustomize refuses " + OVERLAYS + "/" + overlay + ":\n" + result.describe());
            }
            List<K8sObject> objects = new ArrayList<>();
            Tree.parseAll(result.out()).forEach(document -> objects.add(new K8sObject(overlay, Tree.map(document))));
            overlays.put(overlay, objects);
        }
        return new Manifests(repo, overlays, Program.gateway(repo), Program.replicator(repo), repo.projectVersion());
    }

    static Tool.Result kustomize(Repo repo, String overlay) {
        return Tool.kubectl().run(repo.root(), "kustomize", repo.overlay(overlay).toString());
    }

    /** The overlays: the directories under infra/k8s/overlays. */
    static List<String> names(Repo repo) {
        try (Stream<Path> dirs = Files.list(repo.path(OVERLAYS))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + repo.path(OVERLAYS), e);
        }
    }

    List<String> regions() {
        return overlays.keySet().stream().filter(name -> !name.equals(CENTRAL)).toList();
    }

    List<K8sObject> all() {
        return overlays.values().stream().flatMap(List::stream).toList();
    }

    List<K8sObject> workloads() {
        return all().stream().filter(K8sObject::isWorkload).toList();
    }

    List<K8sObject> ofKind(String kind) {
        return all().stream().filter(o -> kind.equals(o.kind())).toList();
    }

    List<Program> programs() {
        return List.of(gateway, replicator);
    }

    /** The containers of workloads that run {@code program}, each with its workload. */
    List<Map.Entry<K8sObject, Map<String, Object>>> containersOf(Program program) {
        List<Map.Entry<K8sObject, Map<String, Object>>> found = new ArrayList<>();
        for (K8sObject workload : workloads()) {
            for (Map<String, Object> container : workload.containers()) {
                String image = Tree.string(container, "image");
                if (image != null && Program.repository(image).equals(program.image())) {
                    found.add(Map.entry(workload, container));
                }
            }
        }
        return found;
    }

    /**
     * A container's environment as the pod would get it: its env (a value from a Secret shows as
     * null) and the data of each ConfigMap of its envFrom. A reference the overlay cannot resolve
     * is a problem, added to {@code problems}.
     */
    Map<String, String> environment(K8sObject workload, Map<String, Object> container, List<String> problems) {
        Map<String, String> environment = new LinkedHashMap<>();
        String where = workload.where() + " container " + Tree.string(container, "name");
        for (Map<String, Object> from : Tree.maps(container, "envFrom")) {
            String configMap = Tree.string(from, "configMapRef", "name");
            if (configMap == null) {
                problems.add(where + " takes every key of " + from + " as a variable; name each with valueFrom instead, "
                        + "so the file shows which settings it sets");
                continue;
            }
            overlays.get(workload.overlay()).stream().filter(o -> "ConfigMap".equals(o.kind()) && configMap.equals(o.name()))
                    .findFirst().ifPresentOrElse(
                            map -> Tree.map(map.raw(), "data").forEach((k, v) -> environment.put(k, String.valueOf(v))),
                            () -> problems.add(where + " refers to ConfigMap " + configMap + ", which the overlay does not create"));
        }
        for (Map<String, Object> variable : Tree.maps(container, "env")) {
            environment.put(Tree.string(variable, "name"), Tree.string(variable, "value"));
        }
        return environment;
    }
}

package dev.gridstate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What the rendered objects say and configure: schema, settings, secrets, regions, links, kustomize fields. */
final class ConfigChecks {

    static final String README = "infra/k8s/README.md";
    /**
     * The kustomization fields kustomize v2.0.3 reads (Debian 12's kubectl 1.20 embeds it); a
     * newer field there is silently ignored or refused by it.
     */
    static final Set<String> OLD_KUSTOMIZE_FIELDS = Set.of("apiVersion", "kind", "resources", "bases", "namespace",
            "namePrefix", "nameSuffix", "commonLabels", "commonAnnotations", "images", "configMapGenerator",
            "secretGenerator", "generatorOptions", "patchesStrategicMerge");
    /** Of a configMapGenerator entry in kustomize v2.0.3 ({@code envs} came later). */
    static final Set<String> OLD_GENERATOR_FIELDS = Set.of("name", "namespace", "behavior", "files", "literals", "env");

    private ConfigChecks() {
    }

    /** Every rendered object is valid against the Kubernetes API schema. */
    static List<String> schema(Manifests manifests) {
        return manifests.all().stream().flatMap(o -> KubernetesSchema.problems(o).stream()).toList();
    }

    /** Our programs get only settings they read, and every one they need, from env and the ConfigMaps of envFrom. */
    static List<String> settings(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Program program : manifests.programs()) {
            for (Map.Entry<K8sObject, Map<String, Object>> each : manifests.containersOf(program)) {
                Map<String, String> environment = manifests.environment(each.getKey(), each.getValue(), problems);
                problems.addAll(SettingChecks.problems(each.getKey().where() + " container " + Tree.string(each.getValue(), "name"),
                        program, environment));
            }
        }
        return problems;
    }

    /** Every key of a Secret a container reads is one README.md says how to create: no secret is in the files. */
    static List<String> secretsDocumented(Manifests manifests) {
        String readme = manifests.repo().read(README);
        List<String> problems = new ArrayList<>();
        for (K8sObject workload : manifests.workloads()) {
            for (Map<String, Object> container : workload.containers()) {
                for (Map<String, Object> variable : Tree.maps(container, "env")) {
                    String secret = Tree.string(variable, "valueFrom", "secretKeyRef", "name");
                    String key = Tree.string(variable, "valueFrom", "secretKeyRef", "key");
                    if (secret != null && !createCommand(readme, secret).contains("--from-literal=" + key + "=")) {
                        problems.add(workload.where() + " reads key " + key + " of Secret " + secret + ", but " + README
                                + " has no 'kubectl create secret generic " + secret + " ... --from-literal=" + key + "=...'");
                    }
                }
            }
        }
        return problems;
    }

    /** Each region overlay's gateways serve that region, and the replicator replicates exactly the region overlays. */
    static List<String> regions(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<K8sObject, Map<String, Object>> each : manifests.containersOf(manifests.gateway())) {
            String served = manifests.environment(each.getKey(), each.getValue(), new ArrayList<>()).get("GATEWAY_REGION");
            if (!each.getKey().overlay().equals(served)) {
                problems.add(each.getKey().where() + " serves region " + served + ", not its overlay's " + each.getKey().overlay());
            }
        }
        Set<String> regions = new TreeSet<>(manifests.regions());
        for (Map.Entry<K8sObject, Map<String, Object>> each : manifests.containersOf(manifests.replicator())) {
            String listed = manifests.environment(each.getKey(), each.getValue(), new ArrayList<>()).get("REPLICATION_REGIONS");
            Set<String> replicated = new TreeSet<>(listed == null ? List.of() : List.of(listed.split(",")));
            if (!replicated.equals(regions)) {
                problems.add(each.getKey().where() + " replicates " + replicated + " but the region overlays are " + regions
                        + ": a region missing there has its change log pile up in RabbitMQ, never reaching central");
            }
        }
        return problems;
    }

    /**
     * Each Redis URI names a Service that leads to the right Redis: a gateway's regional one in
     * its own namespace, every central one to the central overlay's.
     */
    static List<String> redisLinks(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Program program : manifests.programs()) {
            for (Map.Entry<K8sObject, Map<String, Object>> each : manifests.containersOf(program)) {
                Map<String, String> environment = manifests.environment(each.getKey(), each.getValue(), new ArrayList<>());
                for (String[] link : List.of(new String[]{"REDIS_SERVERS_REGIONAL_URI", RedisChecks.REGIONAL_CONF},
                        new String[]{"REDIS_SERVERS_CENTRAL_URI", RedisChecks.CENTRAL_CONF})) {
                    String uri = environment.get(link[0]);
                    if (uri != null) {
                        problems.addAll(link(manifests, each.getKey(), link[0], URI.create(uri), link[1]));
                    }
                }
            }
        }
        return problems;
    }

    /** Every kustomization in infra/k8s uses only what kustomize v2.0.3 knows, and lists only files in resources. */
    static List<String> oldKustomize(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        Path k8s = manifests.repo().path("infra/k8s");
        try (Stream<Path> files = Files.walk(k8s)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                String where = k8s.relativize(file).toString();
                Map<String, Object> kustomization = Tree.map(Tree.parse(Files.readString(file)));
                kustomization.keySet().stream().filter(k -> !OLD_KUSTOMIZE_FIELDS.contains(k)).forEach(k ->
                        problems.add(where + ": " + k + " is not a field kustomize v2.0.3 knows (Debian 12's kubectl 1.20)"));
                Tree.strings(kustomization, "resources").stream().filter(r -> !Files.isRegularFile(file.resolveSibling(r))).forEach(r ->
                        problems.add(where + ": resources lists " + r + ", which is not a file; kustomize v2.0.3 reads a "
                                + "directory only from bases"));
                Tree.maps(kustomization, "configMapGenerator").forEach(generator -> generator.keySet().stream()
                        .filter(k -> !OLD_GENERATOR_FIELDS.contains(k)).forEach(k -> problems.add(where + ": configMapGenerator "
                                + Tree.string(generator, "name") + " uses " + k + ", which kustomize v2.0.3 does not know")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kustomizations under " + k8s, e);
        }
        return problems;
    }

    private static List<String> link(Manifests manifests, K8sObject workload, String variable, URI uri, String conf) {
        String where = workload.where() + ": " + variable + " " + uri;
        String[] host = uri.getHost().split("\\.");
        String namespace = host.length > 1 ? host[1] : Tree.string(workload.raw(), "metadata", "namespace");
        K8sObject service = manifests.ofKind("Service").stream().filter(s -> s.name().equals(host[0])
                && namespace.equals(Tree.string(s.raw(), "metadata", "namespace"))).findFirst().orElse(null);
        if (service == null) {
            return List.of(where + " names Service " + host[0] + " in namespace " + namespace + ", which no overlay creates");
        }
        boolean right = manifests.overlays().get(service.overlay()).stream().filter(w -> w.isWorkload() && w.podsMatch(service.selector()))
                .flatMap(w -> w.containers().stream()).anyMatch(c -> Tree.strings(c, "args").stream().anyMatch(a -> a.endsWith("/" + conf)));
        boolean port = Tree.maps(service.raw(), "spec", "ports").stream().anyMatch(p -> String.valueOf(uri.getPort())
                .equals(Tree.string(p, "port")));
        if (!right || !port) {
            return List.of(where + " reaches " + service.where() + (right ? "" : ", which leads to no Redis running " + conf)
                    + (port ? "" : ", which has no port " + uri.getPort()));
        }
        return List.of();
    }

    /** The {@code kubectl create secret generic <name>} command in the README, with its continuation lines, or "". */
    private static String createCommand(String readme, String secret) {
        int at = readme.indexOf("create secret generic " + secret + " ");
        if (at < 0) {
            return "";
        }
        StringBuilder command = new StringBuilder();
        for (String line : readme.substring(at).lines().toList()) {
            command.append(line).append('\n');
            if (!line.stripTrailing().endsWith("\\")) {
                break;
            }
        }
        return command.toString();
    }
}

package dev.gridstate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * infra/compose/compose.yaml as compose itself resolves it (anchors, merge keys, values from the
 * .env file): the output of {@code docker-compose config}, which is what {@code up} would run.
 *
 * @param services by name
 * @param volumes  the named volumes
 */
record Compose(Map<String, Service> services, Set<String> volumes) {

    /** Stands in for every secret .env.example leaves empty; never a deployment's value. */
    static final String PLACEHOLDER = "test-only-not-a-secret";
    static final String FILE = "compose.yaml";

    /** One service. */
    record Service(String name, Map<String, Object> raw) {

        String image() {
            return Tree.string(raw, "image");
        }

        /** Its environment; a variable listed without a value maps to null. */
        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            Object node = Tree.at(raw, "environment");
            if (node instanceof Map<?, ?> map) {
                map.forEach((k, v) -> environment.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            } else {
                for (String entry : Tree.strings(raw, "environment")) {
                    int eq = entry.indexOf('=');
                    environment.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
                }
            }
            return environment;
        }

        List<String> command() {
            return Tree.strings(raw, "command");
        }

        /** The value after {@code option} in its command ({@code --port 6379}), or null. */
        String commandOption(String option) {
            List<String> command = command();
            int at = command.indexOf(option);
            return at >= 0 && at + 1 < command.size() ? command.get(at + 1) : null;
        }

        /** Its published ports; compose prints the short form with a host IP and the long form without one. */
        List<Port> ports() {
            return Tree.list(raw, "ports").stream().map(p -> p instanceof Map<?, ?> ? Port.of(Tree.map(p)) : Port.parse(
                    String.valueOf(p))).toList();
        }

        List<Mount> volumes() {
            return Tree.list(raw, "volumes").stream().map(v -> v instanceof Map<?, ?> ? new Mount(
                    Objects.toString(Tree.string(v, "source"), ""), Tree.string(v, "target")) : Mount.parse(String.valueOf(v)))
                    .toList();
        }

        List<String> tmpfs() {
            return Tree.at(raw, "tmpfs") instanceof String one ? List.of(one) : Tree.strings(raw, "tmpfs");
        }

        Map<String, Object> healthcheck() {
            return Tree.map(raw, "healthcheck");
        }

        /** The services it waits for, each with the condition it waits for. */
        Map<String, String> dependsOn() {
            Map<String, String> needs = new LinkedHashMap<>();
            Object node = Tree.at(raw, "depends_on");
            if (node instanceof Map<?, ?> map) {
                map.forEach((name, how) -> needs.put(String.valueOf(name), Tree.string(how, "condition")));
            } else {
                Tree.strings(raw, "depends_on").forEach(name -> needs.put(name, "service_started"));
            }
            return needs;
        }

        /** The host port published for {@code target}, if any. */
        Port published(int target) {
            return ports().stream().filter(p -> p.target() == target).findFirst().orElse(null);
        }
    }

    /** {@code 127.0.0.1:6380:6379/tcp}, or its long form; an empty host IP means every interface of the host. */
    record Port(String hostIp, int published, int target) {
        static Port of(Map<String, Object> spec) {
            String published = Tree.string(spec, "published");
            return new Port(Objects.toString(Tree.string(spec, "host_ip"), ""), published == null ? 0 : Integer.parseInt(published),
                    Integer.parseInt(Tree.string(spec, "target")));
        }

        static Port parse(String spec) {
            String bare = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
            String[] parts = bare.split(":");
            return switch (parts.length) {
                case 1 -> new Port("", 0, Integer.parseInt(parts[0]));
                case 2 -> new Port("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                default -> new Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            };
        }
    }

    /** {@code source:target[:mode]}: source is a named volume or an absolute host path. */
    record Mount(String source, String target) {
        static Mount parse(String spec) {
            String[] parts = spec.split(":");
            return parts.length == 1 ? new Mount("", parts[0]) : new Mount(parts[0], parts[1]);
        }
    }

    /**
     * An env file as a user's .env would be: .env.example with every empty value filled in (with
     * {@link #PLACEHOLDER}), as init-env.sh does with random ones.
     */
    static Path envFile(Repo repo, Path dir) {
        StringBuilder env = new StringBuilder();
        for (String line : repo.read("infra/compose/.env.example").lines().toList()) {
            env.append(line.matches("[A-Z_][A-Z0-9_]*=") ? line + PLACEHOLDER : line).append('\n');
        }
        try {
            Path file = Files.createTempFile(dir, "compose-", ".env");
            Files.writeString(file, env);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an env file into " + dir, e);
        }
    }

    /** {@code <tool> [compose] --env-file <envFile> -f compose.yaml config <more>} in infra/compose. */
    static Tool.Result config(Tool tool, List<String> prefix, Repo repo, Path envFile, String... more) {
        List<String> args = new ArrayList<>(prefix);
        args.addAll(List.of("--env-file", envFile.toString(), "-f", FILE, "config"));
        args.addAll(List.of(more));
        return tool.run(repo.composeDir(), args);
    }

    /** The resolved file, by docker-compose 1.29 (the one every Debian 12 has); fails with its stderr when it refuses it. */
    static Compose render(Repo repo, Path tempDir) {
        Tool.Result result = config(Tool.dockerCompose(), List.of(), repo, envFile(repo, tempDir));
        if (result.exit() != 0) {
            throw new AssertionError("docker-compose refuses infra/compose/compose.yaml:\n" + result.describe());
        }
        Object root = Tree.parse(result.out());
        Map<String, Service> services = new LinkedHashMap<>();
        Tree.map(root, "services").forEach((name, raw) -> services.put(name, new Service(name, Tree.map(raw))));
        return new Compose(services, Tree.map(root, "volumes").keySet());
    }

    List<Service> running(Program program) {
        return services.values().stream().filter(s -> s.image() != null && Program.repository(s.image()).equals(program.image()))
                .toList();
    }

    /** The Redis services started with {@code conf} (e.g. central.conf) as their configuration file. */
    List<Service> redisWith(String conf) {
        return services.values().stream().filter(s -> s.command().stream().anyMatch(arg -> arg.endsWith("/" + conf)))
                .toList();
    }
}

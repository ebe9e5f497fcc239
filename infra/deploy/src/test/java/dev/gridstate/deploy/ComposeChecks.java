package dev.gridstate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a user of the compose deployment relies on, each as a list of what is wrong (empty when
 * all is well), in words that say what to fix. The links and the drill file: {@link DrillChecks}.
 */
final class ComposeChecks {

    static final String LOOPBACK = "127.0.0.1";

    private ComposeChecks() {
    }

    /** Our programs get only settings they read, and every one they cannot do without. */
    static List<String> settings(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        for (Program program : setup.programs()) {
            for (Compose.Service service : setup.compose().running(program)) {
                problems.addAll(SettingChecks.problems("compose service " + service.name(), program, service.environment()));
            }
        }
        return problems;
    }

    /** The replicator applies the change log of every region that has gateways, and of no other. */
    static List<String> regionsReplicated(ComposeSetup setup) {
        Set<String> served = new TreeSet<>();
        setup.compose().running(setup.gateway()).forEach(g -> served.add(ComposeSetup.region(g)));
        List<String> problems = new ArrayList<>();
        List<Compose.Service> replicators = setup.compose().running(setup.replicator());
        if (replicators.isEmpty()) {
            problems.add("no service runs " + setup.replicator().image() + ": no region's changes ever reach central");
        }
        for (Compose.Service replicator : replicators) {
            String regions = replicator.environment().get("REPLICATION_REGIONS");
            Set<String> replicated = new TreeSet<>(regions == null ? List.of() : List.of(regions.split(",")));
            if (!replicated.equals(served)) {
                problems.add("compose service " + replicator.name() + " replicates " + replicated + " but the gateways serve "
                        + served + ": a region missing there has its change log pile up in RabbitMQ, never reaching central");
            }
        }
        return problems;
    }

    /** Nothing is published beyond this host: neither Redis nor the Toxiproxy API asks for a password. */
    static List<String> portsOnLoopback(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        for (Compose.Service service : setup.compose().services().values()) {
            for (Compose.Port port : service.ports()) {
                if (!port.hostIp().equals(LOOPBACK)) {
                    problems.add("compose service " + service.name() + " publishes container port " + port.target() + " on "
                            + (port.hostIp().isEmpty() ? "every interface of the host" : port.hostIp())
                            + "; bind it to " + LOOPBACK + " (\"" + LOOPBACK + ":" + port.published() + ":" + port.target() + "\")");
                }
            }
        }
        return problems;
    }

    /**
     * Every service says when it is healthy, and everything that needs another waits until that
     * one is healthy, not merely started (a gateway started before its Redis answers exits).
     */
    static List<String> health(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        for (Compose.Service service : setup.compose().services().values()) {
            List<String> test = Tree.strings(service.healthcheck(), "test");
            if (test.isEmpty() || test.get(0).equals("NONE") || "true".equals(Tree.string(service.healthcheck(), "disable"))) {
                problems.add("compose service " + service.name() + " has no healthcheck: nothing can wait for it to be ready");
            }
            service.dependsOn().forEach((needed, condition) -> {
                if (!"service_healthy".equals(condition)) {
                    problems.add("compose service " + service.name() + " waits for " + needed + " to be " + condition
                            + ", not service_healthy: it may start before " + needed + " answers");
                }
            });
        }
        return problems;
    }

    /** Our services run the images the build makes: gridstate/gateway and gridstate/replicator, at the project version. */
    static List<String> images(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        for (Compose.Service service : setup.compose().services().values()) {
            String image = service.image();
            if (image == null || !image.startsWith("gridstate/")) {
                continue;
            }
            if (Program.running(image, setup.programs()).isEmpty()) {
                problems.add("compose service " + service.name() + " runs " + image + ", which no module builds (the images "
                        + "profile makes " + setup.gateway().image() + " and " + setup.replicator().image() + ")");
            } else if (!Program.tag(image).equals(setup.version())) {
                problems.add("compose service " + service.name() + " runs " + image + " but the images profile tags "
                        + setup.version() + " (the project version)");
            }
        }
        return problems;
    }

    /**
     * Central Redis keeps its directory on a named volume (its AOF outlives the container); a
     * regional one keeps nothing (a restart comes back empty, as the gateways expect); each runs
     * the project's own configuration file.
     */
    static List<String> redisPersistence(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        List<Compose.Service> central = setup.compose().redisWith("central.conf");
        List<Compose.Service> regional = setup.compose().redisWith("regional.conf");
        if (central.size() != 1) {
            problems.add(central.size() + " Redis services run central.conf; there must be exactly one central Redis");
        }
        if (regional.isEmpty()) {
            problems.add("no Redis service runs regional.conf");
        }
        for (Compose.Service redis : central) {
            Compose.Mount data = mountAt(redis, redis.commandOption("--dir"));
            if (data == null || !setup.compose().volumes().contains(data.source())) {
                problems.add("compose service " + redis.name() + " (central.conf) keeps its --dir "
                        + redis.commandOption("--dir") + " on no named volume: its AOF dies with the container");
            }
            problems.addAll(projectConf(redis, "central.conf"));
        }
        for (Compose.Service redis : regional) {
            Compose.Mount data = mountAt(redis, redis.commandOption("--dir"));
            if (data != null) {
                problems.add("compose service " + redis.name() + " (regional.conf) keeps its --dir on " + data.source()
                        + ": a regional Redis must come back empty after a restart (a tmpfs is fine)");
            }
            problems.addAll(projectConf(redis, "regional.conf"));
        }
        return problems;
    }

    private static List<String> projectConf(Compose.Service redis, String conf) {
        String inContainer = redis.command().stream().filter(arg -> arg.endsWith("/" + conf)).findFirst().orElseThrow();
        Compose.Mount mount = mountAt(redis, inContainer);
        if (mount == null || !mount.source().endsWith("/infra/redis/" + conf)) {
            return List.of("compose service " + redis.name() + " reads " + inContainer + ", which is not infra/redis/" + conf
                    + " mounted from the project");
        }
        return List.of();
    }

    private static Compose.Mount mountAt(Compose.Service service, String target) {
        return target == null ? null : service.volumes().stream().filter(m -> m.target().equals(target)).findFirst().orElse(null);
    }
}

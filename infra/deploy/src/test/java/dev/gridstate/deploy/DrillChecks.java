package dev.gridstate.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a chaos drill relies on in the compose deployment: each gateway's Redis and RabbitMQ links
 * go through the Toxiproxy proxies its region's entry in deployment.json names, those proxies
 * lead to real services, and deployment.json reaches them on the ports compose publishes.
 */
final class DrillChecks {

    private static final int TOXIPROXY_API = 8474;
    private static final int AMQP = 5672;

    private DrillChecks() {
    }

    /** Every proxy in toxiproxy.json forwards to a compose service, on the port it listens on. */
    static List<String> proxyUpstreams(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        for (Proxies.Proxy proxy : setup.proxies().all()) {
            Compose.Service upstream = setup.compose().services().get(proxy.upstreamHost());
            if (upstream == null) {
                problems.add(Proxies.FILE + ": proxy " + proxy.name() + " forwards to " + proxy.upstreamHost()
                        + ", which is no compose service (there are " + setup.compose().services().keySet() + ")");
            } else if (listenPort(upstream) != null && listenPort(upstream) != proxy.upstreamPort()) {
                problems.add(Proxies.FILE + ": proxy " + proxy.name() + " forwards to port " + proxy.upstreamPort() + " of "
                        + upstream.name() + ", which listens on " + listenPort(upstream));
            }
        }
        return problems;
    }

    /**
     * A gateway of region R reaches its Redis through proxy R-redis, central through R-central
     * and RabbitMQ through R-rabbit, each leading to the right kind of server, and no two regions
     * share a regional Redis: else the drill's fault on one link misses the gateway it means.
     */
    static List<String> gatewayLinks(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        for (Compose.Service gateway : setup.compose().running(setup.gateway())) {
            String region = ComposeSetup.region(gateway);
            problems.addAll(link(setup, gateway, "REDIS_SERVERS_REGIONAL_URI", region + "-redis",
                    setup.compose().redisWith("regional.conf")));
            problems.addAll(link(setup, gateway, "REDIS_SERVERS_CENTRAL_URI", region + "-central",
                    setup.compose().redisWith("central.conf")));
            problems.addAll(link(setup, gateway, "RABBITMQ_URI", region + "-rabbit", rabbitmq(setup.compose())));
        }
        Set<String> regionalUpstreams = new TreeSet<>();
        for (String region : regions(setup)) {
            setup.proxies().named(region + "-redis").ifPresent(proxy -> {
                if (!regionalUpstreams.add(proxy.upstreamHost())) {
                    problems.add("two regions' Redis proxies lead to " + proxy.upstreamHost() + ": regions must not share a Redis");
                }
            });
        }
        return problems;
    }

    /** deployment.json describes this compose deployment as the host reaches it. */
    static List<String> drillFile(ComposeSetup setup) {
        List<String> problems = new ArrayList<>();
        Compose compose = setup.compose();
        Object file = setup.drillFile();
        expect(problems, "toxiproxy", Tree.string(file, "toxiproxy"), "http://", toxiproxy(compose), TOXIPROXY_API);
        compose.redisWith("central.conf").stream().findFirst().ifPresent(central ->
                expect(problems, "centralRedis", Tree.string(file, "centralRedis"), "redis://", central, 6379));
        Set<String> described = new TreeSet<>();
        for (Map<String, Object> region : Tree.maps(file, "regions")) {
            String name = Tree.string(region, "name");
            described.add(name);
            List<Compose.Service> gateways = compose.running(setup.gateway()).stream()
                    .filter(g -> name.equals(ComposeSetup.region(g))).toList();
            List<String> names = gateways.stream().map(Compose.Service::name).toList();
            if (!Tree.strings(region, "gatewayNames").equals(names)) {
                problems.add("region " + name + ": gatewayNames are " + Tree.strings(region, "gatewayNames")
                        + " but compose runs " + names + " for it");
            }
            List<String> urls = gateways.stream().map(g -> url("http://", g, setup.gateway().httpPort())).toList();
            if (!Tree.strings(region, "gateways").equals(urls)) {
                problems.add("region " + name + ": gateways are " + Tree.strings(region, "gateways") + " but compose publishes "
                        + urls);
            }
            for (String link : List.of("redisProxy", "centralProxy", "rabbitProxy")) {
                String proxy = Tree.string(region, link);
                if (setup.proxies().named(Objects.toString(proxy)).isEmpty()) {
                    problems.add("region " + name + ": " + link + " " + proxy + " is not in " + Proxies.FILE);
                }
            }
            setup.proxies().named(Objects.toString(Tree.string(region, "redisProxy"))).ifPresent(proxy ->
                    expect(problems, "region " + name + " regionalRedis", Tree.string(region, "regionalRedis"), "redis://",
                            compose.services().get(proxy.upstreamHost()), proxy.upstreamPort()));
        }
        if (!described.equals(regions(setup))) {
            problems.add("deployment.json describes regions " + described + " but compose's gateways serve " + regions(setup));
        }
        compose.running(setup.gateway()).stream().map(g -> g.environment().get("GATEWAY_JOBS_MODELS")).filter(Objects::nonNull)
                .distinct().forEach(models -> {
                    if (!Tree.strings(file, "models").equals(List.of(models.split(",")))) {
                        problems.add("deployment.json's models " + Tree.strings(file, "models") + " are not the gateways' "
                                + "GATEWAY_JOBS_MODELS " + models + ": the drill would submit jobs no replica consumes at once");
                    }
                });
        return problems;
    }

    private static List<String> link(ComposeSetup setup, Compose.Service gateway, String variable, String proxyName,
                                     List<Compose.Service> servers) {
        String where = "compose service " + gateway.name() + ": " + variable;
        String value = gateway.environment().get(variable);
        if (value == null) {
            return List.of(); // missing: SettingChecks says so
        }
        URI uri = URI.create(value);
        Compose.Service toxiproxy = toxiproxy(setup.compose());
        if (toxiproxy == null || !toxiproxy.name().equals(uri.getHost())) {
            return List.of(where + " goes to " + uri.getHost() + ":" + uri.getPort() + " directly, not through Toxiproxy: "
                    + "the drill's faults on " + proxyName + " would miss it");
        }
        Proxies.Proxy proxy = setup.proxies().listeningOn(uri.getPort()).orElse(null);
        if (proxy == null) {
            return List.of(where + " goes to Toxiproxy port " + uri.getPort() + ", where no proxy of " + Proxies.FILE + " listens");
        }
        if (!proxy.name().equals(proxyName)) {
            return List.of(where + " goes through proxy " + proxy.name() + ", but the drill faults " + proxyName
                    + " for this region's link");
        }
        if (servers.stream().noneMatch(s -> s.name().equals(proxy.upstreamHost()))) {
            return List.of(where + " goes through " + proxy.name() + " to " + proxy.upstreamHost() + ", which is not one of "
                    + servers.stream().map(Compose.Service::name).toList());
        }
        return List.of();
    }

    private static void expect(List<String> problems, String what, String actual, String scheme, Compose.Service service,
                               int target) {
        String expected = service == null ? null : url(scheme, service, target);
        if (expected == null || !expected.equals(actual)) {
            problems.add("deployment.json: " + what + " is " + actual + ", but compose publishes "
                    + (service == null ? "no such service" : service.name() + ":" + target + " at " + expected));
        }
    }

    /** How the host reaches a service's port, or null when it is not published. */
    private static String url(String scheme, Compose.Service service, int target) {
        Compose.Port port = service.published(target);
        return port == null ? null : scheme + port.hostIp() + ":" + port.published();
    }

    private static Set<String> regions(ComposeSetup setup) {
        Set<String> regions = new TreeSet<>();
        setup.compose().running(setup.gateway()).forEach(g -> regions.add(ComposeSetup.region(g)));
        return regions;
    }

    private static Compose.Service toxiproxy(Compose compose) {
        return compose.services().values().stream().filter(s -> s.image() != null && Program.repository(s.image()).endsWith("toxiproxy"))
                .findFirst().orElse(null);
    }

    private static List<Compose.Service> rabbitmq(Compose compose) {
        return compose.services().values().stream().filter(s -> s.image() != null && s.image().startsWith("rabbitmq:")).toList();
    }

    /** The port a server listens on: Redis's --port, RabbitMQ's AMQP port; null when unknown. */
    private static Integer listenPort(Compose.Service service) {
        String port = service.commandOption("--port");
        if (port != null) {
            return Integer.parseInt(port);
        }
        return service.image() != null && service.image().startsWith("rabbitmq:") ? AMQP : null;
    }
}

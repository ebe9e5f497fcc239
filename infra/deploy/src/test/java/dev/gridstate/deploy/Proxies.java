package dev.gridstate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** infra/compose/toxiproxy.json: the proxies the compose Toxiproxy creates when it starts. */
record Proxies(List<Proxy> all) {

    static final String FILE = "infra/compose/toxiproxy.json";

    /** One proxy: it listens in the Toxiproxy container and forwards to {@code upstreamHost:upstreamPort}. */
    record Proxy(String name, int listenPort, String upstreamHost, int upstreamPort) {
    }

    static Proxies read(Repo repo) {
        List<Proxy> proxies = new ArrayList<>();
        for (Object entry : (List<?>) Tree.parse(repo.read(FILE))) {
            Map<String, Object> proxy = Tree.map(entry);
            String listen = Tree.string(proxy, "listen");
            String upstream = Tree.string(proxy, "upstream");
            proxies.add(new Proxy(Tree.string(proxy, "name"), Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)),
                    upstream.substring(0, upstream.lastIndexOf(':')),
                    Integer.parseInt(upstream.substring(upstream.lastIndexOf(':') + 1))));
        }
        return new Proxies(proxies);
    }

    Optional<Proxy> named(String name) {
        return all.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    Optional<Proxy> listeningOn(int port) {
        return all.stream().filter(p -> p.listenPort() == port).findFirst();
    }
}

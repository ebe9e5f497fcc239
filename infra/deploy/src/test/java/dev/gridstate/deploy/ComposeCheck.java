package dev.gridstate.deploy;

import java.util.List;
import java.util.function.Function;

/** The promises the compose deployment keeps, each with the check that holds it to it. */
enum ComposeCheck {
    SETTINGS("gateways and the replicator get only settings they read, and every one they need", ComposeChecks::settings),
    REGIONS_REPLICATED("the replicator applies the change log of exactly the regions that have gateways",
            ComposeChecks::regionsReplicated),
    PORTS_ON_LOOPBACK("every published port is bound to 127.0.0.1", ComposeChecks::portsOnLoopback),
    HEALTH("every service has a healthcheck, and dependents wait until it is healthy", ComposeChecks::health),
    IMAGES("our services run the images the build tags, at the project version", ComposeChecks::images),
    REDIS_PERSISTENCE("central Redis keeps its data on a volume, regional Redis keeps none, both run the project's files",
            ComposeChecks::redisPersistence),
    PROXY_UPSTREAMS("every Toxiproxy proxy leads to a compose service, on the port it listens on", DrillChecks::proxyUpstreams),
    GATEWAY_LINKS("each gateway's Redis and RabbitMQ links go through its region's proxies", DrillChecks::gatewayLinks),
    DRILL_FILE("deployment.json describes this deployment as the host reaches it", DrillChecks::drillFile);

    private final String promise;
    private final Function<ComposeSetup, List<String>> check;

    ComposeCheck(String promise, Function<ComposeSetup, List<String>> check) {
        this.promise = promise;
        this.check = check;
    }

    List<String> problems(ComposeSetup setup) {
        return check.apply(setup);
    }

    @Override
    public String toString() {
        return promise;
    }
}

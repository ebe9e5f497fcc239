package dev.gridstate.deploy;

import java.util.List;
import java.util.function.Function;

/** The promises the Kubernetes manifests keep, each with the check that holds them to it. */
enum ManifestCheck {
    SCHEMA("every rendered object is valid against the Kubernetes API schema", ConfigChecks::schema),
    PROBES("gateways and replicators are probed at /health/liveness and /health/readiness on their HTTP port",
            WorkloadChecks::probes),
    RESOURCES("every container requests CPU and memory and is bounded in memory", WorkloadChecks::resources),
    DISRUPTION_BUDGETS("a disruption budget keeps a region's gateways serving through drains, and lets drains proceed",
            WorkloadChecks::disruptionBudgets),
    GRACEFUL_SHUTDOWN("a gateway pauses before SIGTERM and has the time to stop cleanly", WorkloadChecks::gracefulShutdown),
    SERVICES("every Service selects pods of its overlay, on ports they declare", WorkloadChecks::services),
    IMAGES("our containers run the images the build tags, at the project version", WorkloadChecks::images),
    CENTRAL_ON_A_CLAIM("central Redis keeps its data on a volumeClaimTemplate", RedisChecks::centralOnAClaim),
    REGIONAL_VOLATILE("a regional Redis has no volume for data, and never runs twice at once", RedisChecks::regionalVolatile),
    PROJECT_CONF("each Redis runs the project's own configuration file", RedisChecks::projectConf),
    SETTINGS("gateways and replicators get only settings they read, and every one they need", ConfigChecks::settings),
    SECRETS_DOCUMENTED("every Secret key a container reads is one the README says how to create", ConfigChecks::secretsDocumented),
    REGIONS("each region overlay serves its region, and the replicator replicates exactly those", ConfigChecks::regions),
    REDIS_LINKS("every Redis URI leads through a Service to the right Redis", ConfigChecks::redisLinks),
    OLD_KUSTOMIZE("the kustomizations use only what kustomize v2.0.3 (Debian 12's kubectl) knows", ConfigChecks::oldKustomize);

    private final String promise;
    private final Function<Manifests, List<String>> check;

    ManifestCheck(String promise, Function<Manifests, List<String>> check) {
        this.promise = promise;
        this.check = check;
    }

    List<String> problems(Manifests manifests) {
        return check.apply(manifests);
    }

    @Override
    public String toString() {
        return promise;
    }
}

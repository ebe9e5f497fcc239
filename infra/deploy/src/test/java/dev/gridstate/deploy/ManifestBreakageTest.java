package dev.gridstate.deploy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each manifest check, shown catching what it is for: a copy of the files broken on purpose, rendered again. */
@DisplayName("infra/k8s: a check catches its breakage")
@Execution(ExecutionMode.CONCURRENT) // each on its own copy
class ManifestBreakageTest {

    private static final String GATEWAY = "infra/k8s/base/region/gateway.yaml";
    private static final String REGIONAL_REDIS = "infra/k8s/base/region/regional-redis.yaml";
    private static final String REGION = "infra/k8s/base/region/kustomization.yaml";
    private static final String CENTRAL_REDIS = "infra/k8s/base/central/central-redis.yaml";
    private static final String REPLICATOR = "infra/k8s/base/central/replicator.yaml";
    private static final String CENTRAL = "infra/k8s/base/central/kustomization.yaml";
    private static final String EU_WEST = "infra/k8s/overlays/eu-west/kustomization.yaml";
    private static final String US_EAST = "infra/k8s/overlays/us-east/kustomization.yaml";

    /** One edit of one file, and what the check must then say. */
    record Breakage(String what, ManifestCheck check, String file, String from, String to, String expected) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Breakage> breakages() {
        return Stream.of(
                new Breakage("a field the API does not have", ManifestCheck.SCHEMA, GATEWAY,
                        "          imagePullPolicy: IfNotPresent\n",
                        "          imagePullPolicy: IfNotPresent\n          imagePulPolicy: Always\n",
                        "The field `imagePulPolicy` in the JSON string is not defined in the `V1Container` properties"),
                new Breakage("a number that is not one", ManifestCheck.SCHEMA, GATEWAY,
                        "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: forty-five", "forty-five"),
                new Breakage("a container without its required name", ManifestCheck.SCHEMA, REGIONAL_REDIS,
                        "        - name: redis\n          image: redis:7.2-alpine", "        - image: redis:7.2-alpine",
                        "The required field `name` is not found"),
                new Breakage("liveness asked of the wrong path", ManifestCheck.PROBES, GATEWAY,
                        "          livenessProbe:\n            httpGet:\n              path: /health/liveness",
                        "          livenessProbe:\n            httpGet:\n              path: /health",
                        "its livenessProbe asks /health, not /health/liveness"),
                new Breakage("the gateway's port declared wrong", ManifestCheck.PROBES, GATEWAY,
                        "containerPort: 8080", "containerPort: 8081", "serves HTTP on 8080"),
                new Breakage("a container without a CPU request", ManifestCheck.RESOURCES, REPLICATOR,
                        "              cpu: 250m\n", "", "has no resources.requests.cpu"),
                new Breakage("a budget that blocks every drain", ManifestCheck.DISRUPTION_BUDGETS, GATEWAY,
                        "  minAvailable: 1\n", "  minAvailable: 2\n", "it allows no voluntary disruption"),
                new Breakage("a budget that selects nothing", ManifestCheck.DISRUPTION_BUDGETS, GATEWAY,
                        "  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: gateway\n",
                        "  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: gateways\n",
                        "has no PodDisruptionBudget"),
                new Breakage("a grace period shorter than the stop", ManifestCheck.GRACEFUL_SHUTDOWN, GATEWAY,
                        "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 12",
                        "has terminationGracePeriodSeconds 12"),
                new Breakage("a Service whose selector matches no pod", ManifestCheck.SERVICES, REGIONAL_REDIS,
                        "  selector:\n    app.kubernetes.io/name: regional-redis\n  ports:",
                        "  selector:\n    app.kubernetes.io/name: regional-redi\n  ports:", "selects no pods"),
                new Breakage("a Service to a port no container has", ManifestCheck.SERVICES, REGIONAL_REDIS,
                        "      targetPort: redis\n", "      targetPort: rediss\n", "to rediss, but no container"),
                new Breakage("an image tag the build does not make", ManifestCheck.IMAGES, EU_WEST,
                        "  - name: gridstate/gateway\n    newTag: 0.1.0-SNAPSHOT\n",
                        "  - name: gridstate/gateway\n    newTag: 0.0.9\n", "but the images profile tags"),
                new Breakage("central Redis with its data off the claim", ManifestCheck.CENTRAL_ON_A_CLAIM, CENTRAL_REDIS,
                        "              mountPath: /data\n", "              mountPath: /var/lib/redis\n",
                        "keeps its --dir /data on no volumeClaimTemplate"),
                new Breakage("a regional Redis with a volume for data", ManifestCheck.REGIONAL_VOLATILE, REGIONAL_REDIS,
                        "      volumes:\n        - name: config\n",
                        "      volumes:\n        - name: data\n          emptyDir: {}\n        - name: config\n",
                        "volume data is emptyDir"),
                new Breakage("two regional Redis at once in a rollout", ManifestCheck.REGIONAL_VOLATILE, REGIONAL_REDIS,
                        "    type: Recreate\n", "    type: RollingUpdate\n", "may run two at once"),
                new Breakage("a Redis config copy that drifted", ManifestCheck.PROJECT_CONF, "infra/k8s/base/region/regional.conf",
                        "save \"\"\n", "save 60 1\n", "which does not hold infra/redis/regional.conf"),
                new Breakage("a misspelt setting in a ConfigMap", ManifestCheck.SETTINGS, REGION,
                        "REDIS_SERVERS_REGIONAL_URI=", "REDIS_SERVER_REGIONAL_URI=", "REDIS_SERVER_REGIONAL_URI is not a setting"),
                new Breakage("envFrom a ConfigMap that is not there", ManifestCheck.SETTINGS, GATEWAY,
                        "                name: gateway-settings\n", "                name: gateway-setting\n",
                        "refers to ConfigMap gateway-setting, which the overlay does not create"),
                new Breakage("a Secret key the README does not create", ManifestCheck.SECRETS_DOCUMENTED, REPLICATOR,
                        "                  key: uri\n", "                  key: url\n", "reads key url of Secret rabbitmq-credentials"),
                new Breakage("a region overlay serving another region", ManifestCheck.REGIONS, US_EAST,
                        "GATEWAY_REGION=us-east", "GATEWAY_REGION=eu-west", "serves region eu-west, not its overlay's us-east"),
                new Breakage("a region the replicator leaves out", ManifestCheck.REGIONS, CENTRAL,
                        "REPLICATION_REGIONS=eu-west,us-east", "REPLICATION_REGIONS=eu-west", "replicates [eu-west]"),
                new Breakage("gateways pointed at a central Redis that is not there", ManifestCheck.REDIS_LINKS, REGION,
                        "redis://central-redis.gridstate-central", "redis://central.gridstate-central",
                        "names Service central in namespace gridstate-central"),
                new Breakage("a directory in resources", ManifestCheck.OLD_KUSTOMIZE, EU_WEST,
                        "bases:\n  - ../../base/region\nresources:\n", "resources:\n  - ../../base/region\n",
                        "resources lists ../../base/region, which is not a file"),
                new Breakage("a kustomization field newer than v2.0.3", ManifestCheck.OLD_KUSTOMIZE, EU_WEST,
                        "commonLabels:\n  app.kubernetes.io/instance: eu-west\n",
                        "labels:\n  - pairs:\n      app.kubernetes.io/instance: eu-west\n    includeSelectors: true\n",
                        "labels is not a field kustomize v2.0.3 knows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void shouldBeCaught(Breakage breakage, @TempDir Path temp) {
        Repo broken = Repo.checkedOut().copyTo(temp).replace(breakage.file(), breakage.from(), breakage.to());
        Manifests manifests;
        try {
            manifests = Manifests.render(broken);
        } catch (AssertionError refused) {
            if (breakage.check() == ManifestCheck.OLD_KUSTOMIZE && refused.getMessage().contains("kubectl kustomize refuses")) {
                return; // run with kustomize v2.0.3 itself (-Ddeploy.kubectl=...), which refuses what the check is for
            }
            throw refused;
        }

        List<String> problems = breakage.check().problems(manifests);

        assertThat(problems).as(breakage.check() + ", after: " + breakage.what())
                .anySatisfy(problem -> assertThat(problem).contains(breakage.expected()));
    }
}

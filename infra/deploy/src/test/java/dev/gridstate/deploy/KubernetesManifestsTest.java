package dev.gridstate.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("infra/k8s: what kubectl apply -k would send")
class KubernetesManifestsTest {

    private static final Repo REPO = Repo.checkedOut();
    private static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = Manifests.render(REPO);
    }

    static List<String> overlays() {
        return Manifests.names(REPO);
    }

    @ParameterizedTest(name = "overlays/{0}")
    @MethodSource("overlays")
    void shouldRenderWithKubectlKustomize(String overlay) {
        Tool.Result result = Manifests.kustomize(REPO, overlay);

        assertThat(result.exit()).as(result::describe).isZero();
        assertThat(manifests.overlays().get(overlay)).as("objects of overlays/" + overlay).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ManifestCheck.class)
    void shouldKeepItsPromise(ManifestCheck check) {
        List<String> problems = check.problems(manifests);

        assertThat(problems).as(check.toString()).isEmpty();
    }
}

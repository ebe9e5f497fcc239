package dev.gridstate.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("infra/compose: what docker compose would run")
class ComposeFileTest {

    private static final Repo REPO = Repo.checkedOut();

    @TempDir
    static Path temp;
    private static ComposeSetup setup;

    @BeforeAll
    static void resolve() {
        setup = ComposeSetup.read(REPO, temp);
    }

    @Test
    void shouldBeAcceptedByDockerCompose129() {
        Tool.Result result = Compose.config(Tool.dockerCompose(), List.of(), REPO, Compose.envFile(REPO, temp), "-q");

        assertThat(result.exit()).as(result::describe).isZero();
    }

    @Test
    void shouldBeAcceptedByComposeV2WhereItIsInstalled() {
        Optional<Tool> docker = Tool.find("docker");
        assumeTrue(docker.isPresent() && docker.get().run(temp, "compose", "version").exit() == 0,
                "docker compose v2 is not installed here; docker-compose 1.29 checked the file");

        Tool.Result result = Compose.config(docker.get(), List.of("compose"), REPO, Compose.envFile(REPO, temp), "-q");

        assertThat(result.exit()).as(result::describe).isZero();
    }

    @Test
    void shouldRefuseToStartWhileASecretIsEmpty() throws IOException {
        Path asShipped = Files.writeString(temp.resolve("as-shipped.env"), REPO.read("infra/compose/.env.example"));

        Tool.Result result = Compose.config(Tool.dockerCompose(), List.of(), REPO, asShipped, "-q");

        assertThat(result.exit()).as(result::describe).isNotZero();
        assertThat(result.err()).as(result::describe).contains("set it in infra/compose/.env");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ComposeCheck.class)
    void shouldKeepItsPromise(ComposeCheck check) {
        List<String> problems = check.problems(setup);

        assertThat(problems).as(check.toString()).isEmpty();
    }
}

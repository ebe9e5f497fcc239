package dev.gridstate.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolTest {

    @Test
    void shouldFailSayingHowToInstallAToolThatIsNotOnThePath(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> Tool.require("kubectl", null, emptyDir.toString()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("kubectl is not installed")
                .hasMessageContaining("infra/local/install.sh");
    }

    @Test
    void shouldFailSayingHowToInstallAToolGivenWhereThereIsNone(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> Tool.require("docker-compose", emptyDir.resolve("docker-compose").toString(), ""))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no executable at deploy.docker-compose=")
                .hasMessageContaining("infra/local/install.sh");
    }
}

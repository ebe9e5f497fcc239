package dev.gridstate.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the compose checks look at, read once: the resolved compose file, the Toxiproxy
 * proxies, the drill's deployment file, our two programs and the version the build tags images with.
 */
record ComposeSetup(Compose compose, Proxies proxies, Object drillFile, Program gateway, Program replicator,
                    String version) {

    static final String DRILL_FILE = "infra/compose/deployment.json";

    static ComposeSetup read(Repo repo, Path tempDir) {
        return new ComposeSetup(Compose.render(repo, tempDir), Proxies.read(repo), Tree.parse(repo.read(DRILL_FILE)),
                Program.gateway(repo), Program.replicator(repo), repo.projectVersion());
    }

    List<Program> programs() {
        return List.of(gateway, replicator);
    }

    /** The region a gateway service serves. */
    static String region(Compose.Service gateway) {
        return gateway.environment().get("GATEWAY_REGION");
    }
}

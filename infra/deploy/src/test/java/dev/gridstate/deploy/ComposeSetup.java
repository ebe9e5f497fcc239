package dev.gridstate.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the compose checks look at, read once: the resolved compose file, the Toxiproxy
 * proxies, the drill's deployment file, our two programs and the version the build tags images with.
 */
record ComposeSetup(Compose compose, Proxies proxies, Object drillFile, Program gateway, Program replicator,
                    String version) {

    static final String DRILL_FILE = "infra/compose/deployment.json";

    /** The project version: the root pom's own, not its parent's. */
    private static final Pattern VERSION = Pattern.compile("<artifactId>gridstate-parent</artifactId>\\s*<version>([^<]+)</version>");

    static ComposeSetup read(Repo repo, Path tempDir) {
        Matcher version = VERSION.matcher(repo.read("pom.xml"));
        if (!version.find()) {
            throw new AssertionError("the root pom.xml has no version after <artifactId>gridstate-parent</artifactId>");
        }
        return new ComposeSetup(Compose.render(repo, tempDir), Proxies.read(repo), Tree.parse(repo.read(DRILL_FILE)),
                Program.gateway(repo), Program.replicator(repo), version.group(1));
    }

    List<Program> programs() {
        return List.of(gateway, replicator);
    }

    /** The region a gateway service serves. */
    static String region(Compose.Service gateway) {
        return gateway.environment().get("GATEWAY_REGION");
    }
}

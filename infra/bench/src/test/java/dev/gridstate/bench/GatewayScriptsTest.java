package dev.gridstate.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the gateway jar this build made (the reactor packages the gateway before the bench). */
class GatewayScriptsTest {

    private static final Path GATEWAY_JAR = Path.of("../../gateway/target/gateway.jar");

    @Test
    void composesTheScriptAsARegionalRedisGetsIt() {
        assertThat(GATEWAY_JAR).as("build the gateway first: ./mvnw -pl gateway package").exists();

        String heartbeat = GatewayScripts.source(GATEWAY_JAR, "heartbeat");

        assertThat(heartbeat).startsWith("local K = {");
        assertThat(heartbeat.indexOf("NOREGION")).as("the holds-region prologue, before the script")
                .isPositive().isLessThan(heartbeat.indexOf("Heart-beats a batch of nodes"));
    }

    @Test
    void namesEveryScriptPlainAndAfterThePrologue() throws IOException {
        long scripts;
        try (ZipFile jar = new ZipFile(GATEWAY_JAR.toFile())) {
            scripts = jar.stream().filter(e -> e.getName().matches("lua/.+\\.lua") && !e.getName().equals("lua/lib.lua")).count();
        }

        Map<String, String> names = GatewayScripts.namesBySha(GATEWAY_JAR);

        assertThat(names).hasSize((int) scripts * 2);
        assertThat(names.values()).contains("heartbeat", "query", "export", "apply");
        assertThat(names.keySet()).allMatch(sha -> sha.matches("[0-9a-f]{40}"));
    }
}

package dev.gridstate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code redis-cli --cluster create}: hands out the slots, pairs replicas with masters and waits
 * for the nodes to meet. Bounded in time; its output is returned (and put in every error) because
 * it is what explains a cluster that never settles.
 */
final class ClusterCreate {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern ANSI_COLOUR = Pattern.compile("\u001B\\[[0-9;]*m");

    private ClusterCreate() {
    }

    static String run(Path redisCli, List<RedisServer> nodes, int replicasPerMaster, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(redisCli.toString(), "--cluster", "create"));
        nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        String shown = String.join(" ", command);
        Path dir = WorkDirs.create("gridstate-redis-cli-");
        Path output = dir.resolve("redis-cli.log");
        Process process = null;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            ProcessLedger.instance().record("redis-cli --cluster create", process.toHandle(), dir);
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("'" + shown + "' did not finish within " + timeout
                        + "; its output:\n" + read(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("'" + shown + "' failed with exit code " + process.exitValue()
                        + "; its output:\n" + read(output));
            }
            return read(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run '" + shown + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + shown + "'", e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
                ProcessLedger.instance().forget(process.toHandle());
            }
            WorkDirs.deleteRecursively(dir);
        }
    }

    private static String read(Path output) {
        try {
            // redis-cli colours its cluster reports even when writing to a file.
            return ANSI_COLOUR.matcher(Files.readString(output, StandardCharsets.UTF_8)).replaceAll("").strip();
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }
}

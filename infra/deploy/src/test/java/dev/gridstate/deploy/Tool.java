package dev.gridstate.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the deployment files are checked with (kubectl, docker-compose), run as its
 * own process. A tool that is not installed is a failure that says how to install it, never a
 * skipped test: a check that did not run must not look like one that passed.
 *
 * @param name       what it is called on PATH
 * @param executable where it is
 */
record Tool(String name, Path executable) {

    static final String INSTALL_HINT = "run infra/local/install.sh (as root or through sudo), which installs it";
    private static final long TIMEOUT_SECONDS = 120;

    /** What one run gave back. */
    record Result(List<String> command, int exit, String out, String err) {
        /** For assertion messages: the command and everything it said. */
        String describe() {
            return String.join(" ", command) + " exited " + exit + "\n--- stderr:\n" + err + "\n--- stdout:\n" + out;
        }
    }

    static Tool kubectl() {
        return require("kubectl");
    }

    static Tool dockerCompose() {
        return require("docker-compose");
    }

    /**
     * The tool named {@code name}: the path in the system property {@code deploy.<name>} when set
     * (to check with another version, e.g. an older kubectl), else the first on PATH.
     */
    static Tool require(String name) {
        return require(name, System.getProperty("deploy." + name), System.getenv().getOrDefault("PATH", ""));
    }

    /** {@link #require(String)} with the override and the search path given. */
    static Tool require(String name, String given, String searchPath) {
        boolean overridden = given != null && !given.isBlank();
        Optional<Path> found = overridden ? executable(Path.of(given)) : onPath(name, searchPath);
        return new Tool(name, found.orElseThrow(() -> new AssertionError(name + " is not installed ("
                + (overridden ? "no executable at deploy." + name + "=" + given : "not on PATH") + "): " + INSTALL_HINT)));
    }

    /** The tool if it is installed; for the optional ones (compose v2 is a plugin of docker). */
    static Optional<Tool> find(String name) {
        return onPath(name, System.getenv().getOrDefault("PATH", "")).map(path -> new Tool(name, path));
    }

    Result run(Path workDir, String... args) {
        return run(workDir, List.of(args));
    }

    Result run(Path workDir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        try {
            Path out = Files.createTempFile("deploy-tool-", ".out");
            Path err = Files.createTempFile("deploy-tool-", ".err");
            try {
                // to files, not pipes: a tool that fills one pipe while we read the other would hang
                Process process = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
                }
                return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static Optional<Path> onPath(String name, String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                Optional<Path> found = executable(Path.of(dir, name));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path candidate) {
        return Files.isRegularFile(candidate) && Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }
}

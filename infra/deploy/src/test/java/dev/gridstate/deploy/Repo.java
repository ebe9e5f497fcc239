package dev.gridstate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files under check and what they are checked against, where they are: the repository
 * (system property {@code deploy.root}, set by the module's pom), or a copy of those parts that
 * a test breaks on purpose.
 */
record Repo(Path root) {

    /** Everything a check reads: the deployment files, and the programs' settings and versions. */
    private static final List<String> PARTS = List.of("infra/compose", "infra/k8s", "infra/redis", "README.md",
            "docs/configuration.md", "gateway/src/main/resources/application.yml",
            "replication/src/main/resources/application.yml", "pom.xml", "gateway/pom.xml", "replication/pom.xml");

    /** The project version: the root pom's own, not its parent's. */
    private static final Pattern VERSION =
            Pattern.compile("<artifactId>gridstate-parent</artifactId>\\s*<version>([^<]+)</version>");

    static Repo checkedOut() {
        String root = System.getProperty("deploy.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("the system property deploy.root (the repository) is not set; run the tests "
                    + "through Maven: ./mvnw -pl infra/deploy verify");
        }
        return new Repo(Path.of(root).toAbsolutePath().normalize());
    }

    /** The version the images profile tags the images with. */
    String projectVersion() {
        Matcher version = VERSION.matcher(read("pom.xml"));
        if (!version.find()) {
            throw new AssertionError("the root pom.xml has no version after <artifactId>gridstate-parent</artifactId>");
        }
        return version.group(1);
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    Path composeDir() {
        return path("infra/compose");
    }

    Path overlay(String name) {
        return path("infra/k8s/overlays/" + name);
    }

    String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(relative), e);
        }
    }

    /** A copy of every part a check reads, under {@code dir}, to be broken there. */
    Repo copyTo(Path dir) {
        for (String part : PARTS) {
            copy(path(part), dir.resolve(part));
        }
        return new Repo(dir);
    }

    /**
     * Replaces the one occurrence of {@code from} in a file of this copy. Fails when there is not
     * exactly one, so a breakage whose edit no longer applies fails instead of passing for nothing.
     */
    Repo replace(String relative, String from, String to) {
        String text = read(relative);
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new AssertionError("the breakage expects exactly one '" + from + "' in " + relative + ", but there are "
                    + (at < 0 ? "none" : "several"));
        }
        try {
            Files.writeString(path(relative), text.substring(0, at) + to + text.substring(at + from.length()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path(relative), e);
        }
        return this;
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : (Iterable<Path>) tree::iterator) {
                if (source.getFileName().toString().equals(".env")) {
                    continue; // a user's real secrets stay where they are
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}

package dev.gridstate.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds programs the way a shell would, plus the sbin directories a non-root PATH often lacks. */
final class Executables {

    private static final List<String> EXTRA_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
                    "/opt/homebrew/bin", "/opt/homebrew/sbin");

    private Executables() {
    }

    static Optional<Path> find(String name) {
        return find(name, System.getenv().getOrDefault("PATH", ""));
    }

    static Optional<Path> find(String name, String searchPath) {
        List<String> dirs = new ArrayList<>(List.of(searchPath.split(File.pathSeparator)));
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream()
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }
}

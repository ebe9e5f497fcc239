package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindAnExecutableOnTheGivenPath() throws IOException {
        Path program = Files.createFile(dir.resolve("gridstate-fake-tool"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(Executables.find("gridstate-fake-tool", "/nonexistent:" + dir)).contains(program);
    }

    @Test
    void shouldIgnoreAFileThatIsNotExecutable() throws IOException {
        Files.createFile(dir.resolve("gridstate-fake-tool"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

        assertThat(Executables.find("gridstate-fake-tool", dir.toString())).isEmpty();
    }
}

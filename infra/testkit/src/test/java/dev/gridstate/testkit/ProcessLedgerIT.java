package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLedgerIT {

    @TempDir
    Path ledgerDir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    @DisplayName("a server whose owner JVM died is killed by the next ledger, with its work dir")
    void shouldReapProcessWhenItsOwnerIsGone() throws Exception {
        Process owner = sleeper();
        Process orphan = sleeper();
        Path workDir = Files.createTempDirectory("gridstate-ledger-it-");
        new ProcessLedger(ledgerDir, owner.toHandle()).record("sleep orphan", orphan.toHandle(), workDir);
        owner.destroyForcibly().waitFor();

        List<String> reaped = new ProcessLedger(ledgerDir, ProcessHandle.current()).reapOrphans();

        assertThat(reaped).singleElement().asString().contains("sleep orphan", "pid " + orphan.pid());
        await().atMost(Duration.ofSeconds(5)).until(() -> !orphan.isAlive());
        assertThat(workDir).doesNotExist();
        assertThat(ledgerDir).isEmptyDirectory();
    }

    @Test
    @DisplayName("a server whose owner JVM lives is left alone")
    void shouldLeaveProcessAloneWhenItsOwnerLives() throws Exception {
        Process owner = sleeper();
        Process child = sleeper();
        Path workDir = Files.createTempDirectory("gridstate-ledger-it-");
        new ProcessLedger(ledgerDir, owner.toHandle()).record("sleep child", child.toHandle(), workDir);

        List<String> reaped = new ProcessLedger(ledgerDir, ProcessHandle.current()).reapOrphans();

        assertThat(reaped).isEmpty();
        assertThat(child.isAlive()).isTrue();
        assertThat(workDir).exists();
        WorkDirs.deleteRecursively(workDir);
    }

    @Test
    @DisplayName("forgetting a process removes its pid file")
    void shouldRemovePidFileWhenForgotten() throws Exception {
        Process child = sleeper();
        ProcessLedger ledger = new ProcessLedger(ledgerDir, ProcessHandle.current());
        ledger.record("sleep child", child.toHandle(), ledgerDir);
        assertThat(ledgerDir).isNotEmptyDirectory();

        ledger.forget(child.toHandle());

        assertThat(ledgerDir).isEmptyDirectory();
    }

    private Process sleeper() throws IOException {
        Process process = new ProcessBuilder("sleep", "300").start();
        started.add(process);
        return process;
    }
}

package dev.gridstate.testkit;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pid files of the servers this JVM started, one per process, naming the owner JVM. A JVM that
 * dies by SIGKILL runs no shutdown hook; the next JVM to use the testkit finds its pid files,
 * sees the owner gone and kills what it left behind. Start instants guard against reused pids.
 */
final class ProcessLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessLedger.class);
    private static final Path DEFAULT_DIR = Path.of(System.getProperty("java.io.tmpdir"), "gridstate-testkit");
    private static final String WORK_DIR_PREFIX = "gridstate-";
    private static ProcessLedger instance;

    private final Path dir;
    private final ProcessHandle owner;

    ProcessLedger(Path dir, ProcessHandle owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /** The ledger of this JVM; the first call reaps what dead JVMs left behind. */
    static synchronized ProcessLedger instance() {
        if (instance == null) {
            instance = new ProcessLedger(DEFAULT_DIR, ProcessHandle.current());
            instance.reapOrphans();
        }
        return instance;
    }

    /** Records a process (and later its descendants) started by the owner, with its work dir. */
    void record(String what, ProcessHandle process, Path workDir) {
        Properties entry = new Properties();
        entry.setProperty("what", what);
        entry.setProperty("owner.pid", Long.toString(owner.pid()));
        entry.setProperty("owner.start", Long.toString(startMillis(owner)));
        entry.setProperty("pid", Long.toString(process.pid()));
        entry.setProperty("start", Long.toString(startMillis(process)));
        entry.setProperty("dir", workDir.toString());
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "entry", ".tmp");
            try (Writer out = Files.newBufferedWriter(temp)) {
                entry.store(out, "gridstate testkit process");
            }
            Files.move(temp, fileOf(process), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + what + " (pid " + process.pid() + ") in " + dir, e);
        }
    }

    void forget(ProcessHandle process) {
        try {
            Files.deleteIfExists(fileOf(process));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the pid file of pid " + process.pid() + " in " + dir, e);
        }
    }

    /** Kills the processes whose owner JVM is gone; returns what it killed. */
    List<String> reapOrphans() {
        List<String> reaped = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return reaped;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                read(file).filter(this::isOrphan).ifPresent(entry -> reaped.add(reap(file, entry)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list pid files in " + dir, e);
        }
        return reaped;
    }

    private boolean isOrphan(Properties entry) {
        return !isSameProcess(entry.getProperty("owner.pid"), entry.getProperty("owner.start"));
    }

    private String reap(Path file, Properties entry) {
        String what = entry.getProperty("what") + " (pid " + entry.getProperty("pid")
                + ", owner JVM " + entry.getProperty("owner.pid") + " gone)";
        if (isSameProcess(entry.getProperty("pid"), entry.getProperty("start"))) {
            ProcessHandle process = ProcessHandle.of(Long.parseLong(entry.getProperty("pid"))).orElseThrow();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            LOG.warn("killed orphaned {}", what);
        }
        Path workDir = Path.of(entry.getProperty("dir", ""));
        if (workDir.getFileName() != null && workDir.getFileName().toString().startsWith(WORK_DIR_PREFIX)) {
            WorkDirs.deleteRecursively(workDir);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stale pid file " + file, e);
        }
        return what;
    }

    private Optional<Properties> read(Path file) {
        Properties entry = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            entry.load(in);
        } catch (IOException e) {
            LOG.warn("skipping unreadable pid file {}", file, e);
            return Optional.empty();
        }
        boolean complete = Stream.of("what", "owner.pid", "owner.start", "pid", "start")
                .allMatch(entry::containsKey);
        return complete ? Optional.of(entry) : Optional.empty();
    }

    private static boolean isSameProcess(String pid, String startMillis) {
        return ProcessHandle.of(Long.parseLong(pid))
                .filter(ProcessHandle::isAlive)
                .map(handle -> Long.toString(startMillis(handle)).equals(startMillis))
                .orElse(false);
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    private Path fileOf(ProcessHandle process) {
        return dir.resolve(owner.pid() + "-" + process.pid() + ".pid");
    }
}

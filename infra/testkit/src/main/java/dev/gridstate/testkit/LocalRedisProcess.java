package dev.gridstate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** redis-server as a child process with its own temporary directory, log and pid file. */
final class LocalRedisProcess implements RedisProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRedisProcess.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int PORT_ATTEMPTS = 5;

    private final Path executable;
    private final RedisRole role;
    private final Supplier<List<String>> extraArgsPerPort;
    private final Path workDir;
    private final Path conf;
    private final Path log;
    private final long hookId;
    private int port;
    private List<String> extraArgs = List.of();
    private Process process;
    private boolean hung;
    private boolean closed;

    private LocalRedisProcess(Path executable, RedisRole role, Supplier<List<String>> extraArgsPerPort, Path workDir) {
        this.executable = executable;
        this.role = role;
        this.extraArgsPerPort = extraArgsPerPort;
        this.workDir = workDir;
        this.conf = WorkDirs.copyResource(role.confResource(), workDir.resolve(role.confFileName()));
        this.log = workDir.resolve("redis.log");
        this.hookId = ShutdownHooks.register("redis-server " + role.label() + " in " + workDir, this::close);
    }

    static LocalRedisProcess start(Path executable, RedisRole role) {
        return start(executable, role, List::of);
    }

    /**
     * Starts with arguments after the role's own, drawn again for every port tried (a cluster node
     * binds a second port, its bus) and kept for restarts, so a restarted node binds the same ports.
     */
    static LocalRedisProcess start(Path executable, RedisRole role, Supplier<List<String>> extraArgsPerPort) {
        ProcessLedger.instance();
        LocalRedisProcess redis = new LocalRedisProcess(
                executable, role, extraArgsPerPort, WorkDirs.create("gridstate-redis-" + role.label() + "-"));
        try {
            redis.startOnFreePort();
            return redis;
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit();
        ProcessLedger.instance().forget(process.toHandle());
        hung = false;
    }

    @Override
    public synchronized void hang() {
        requireRunning("hang");
        signal("STOP");
        hung = true;
    }

    @Override
    public synchronized void resume() {
        if (hung && isRunning()) {
            signal("CONT");
        }
        hung = false;
    }

    @Override
    public synchronized void restart() {
        requireOpen("restart");
        kill();
        if (!launch()) {
            throw new IllegalStateException(describe() + " cannot restart: port " + port
                    + (extraArgs.isEmpty() ? "" : " (or a port among " + String.join(" ", extraArgs) + ")")
                    + " was taken by another process meanwhile; log " + log + ":\n" + WorkDirs.tail(log, 20));
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        resume();
        kill();
        WorkDirs.deleteRecursively(workDir);
        ShutdownHooks.deregister(hookId);
    }

    @Override
    public synchronized String toString() {
        return describe();
    }

    private void startOnFreePort() {
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            port = Ports.freePort();
            extraArgs = List.copyOf(extraArgsPerPort.get());
            if (launch()) {
                return;
            }
            LOG.info("{} could not bind its port, trying another one", describe());
        }
        throw new IllegalStateException(describe() + " could not bind a free port in " + PORT_ATTEMPTS
                + " attempts; log " + log + ":\n" + WorkDirs.tail(log, 20));
    }

    /** Starts the server on {@link #port}; false if the port was taken, an exception on any other failure. */
    private boolean launch() {
        List<String> command = new ArrayList<>(List.of(executable.toString(), conf.toString(),
                "--port", Integer.toString(port), "--dir", workDir.toString(),
                "--bind", HOST, "--daemonize", "no"));
        command.addAll(role.extraArgs());
        command.addAll(extraArgs);
        long logOffset = WorkDirs.size(log);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        ProcessLedger.instance().record("redis-server " + role.label(), process.toHandle(), workDir);
        return awaitPong(logOffset);
    }

    private boolean awaitPong(long logOffset) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!RedisPing.answers(HOST, port, Duration.ofMillis(200))) {
            if (exitedWithin(POLL)) {
                ProcessLedger.instance().forget(process.toHandle());
                if (WorkDirs.readFrom(log, logOffset).contains("Address already in use")) {
                    return false;
                }
                throw new IllegalStateException(describe() + " exited with code " + process.exitValue()
                        + " during start-up; log " + log + ":\n" + WorkDirs.tail(log, 20));
            }
            if (Instant.now().isAfter(deadline)) {
                kill();
                throw new IllegalStateException(describe() + " did not answer PING within " + START_TIMEOUT
                        + "; log " + log + ":\n" + WorkDirs.tail(log, 20));
            }
        }
        return true;
    }

    private boolean exitedWithin(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + describe(), e);
        }
    }

    private void awaitExit() {
        if (!exitedWithin(EXIT_TIMEOUT)) {
            throw new IllegalStateException(describe() + " (pid " + process.pid() + ") still alive "
                    + EXIT_TIMEOUT + " after SIGKILL");
        }
    }

    private void signal(String signal) {
        Signals.send(signal, process.toHandle());
    }

    private void requireRunning(String action) {
        requireOpen(action);
        if (!isRunning()) {
            throw new IllegalStateException("cannot " + action + " " + describe() + ": it is not running");
        }
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new IllegalStateException("cannot " + action + " " + describe() + ": it is closed");
        }
    }

    private String describe() {
        String state = closed ? "closed" : hung ? "hung" : isRunning() ? "running" : "stopped";
        return "redis-server " + role.label() + " on " + HOST + ":" + port + " (" + state + ")";
    }
}

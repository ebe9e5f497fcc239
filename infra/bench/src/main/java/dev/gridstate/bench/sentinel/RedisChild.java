package dev.gridstate.bench.sentinel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One redis-server child process (a data node or a sentinel) on 127.0.0.1, its output in a log
 * file of the set's work dir. Started on a given port; {@link #start} answers empty when the port
 * was taken meanwhile so the caller can try another.
 */
final class RedisChild {

    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> EXTRA_DIRS = List.of("/usr/local/bin", "/usr/bin", "/usr/sbin", "/usr/local/sbin");

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private RedisChild(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The redis-server on PATH or in the usual directories. */
    static Path executable() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream()
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "redis-server is not on PATH nor in " + EXTRA_DIRS + "; the Sentinel measurement needs it"));
    }

    /** Starts and waits for PONG; empty if the port was already in use. */
    static Optional<RedisChild> start(String name, int port, Path log, List<String> command) {
        long logOffset = size(log);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        RedisChild child = new RedisChild(name, port, process, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing(port)) {
            if (child.exitedWithin(Duration.ofMillis(50))) {
                if (readFrom(log, logOffset).contains("Address already in use")) {
                    return Optional.empty();
                }
                throw new IllegalStateException(name + " on port " + port + " exited with code "
                        + process.exitValue() + " while starting; log " + log + ":\n" + child.tail());
            }
            if (System.nanoTime() > deadline) {
                child.kill();
                throw new IllegalStateException(name + " on port " + port + " did not answer PING within "
                        + START_TIMEOUT + "; log " + log + ":\n" + child.tail());
            }
        }
        return Optional.of(child);
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL and wait for the exit. Answers the {@link System#nanoTime()} taken just before the
     * signal was sent: kill(2) delivers it synchronously, so that is the instant of the crash.
     */
    long kill() {
        long before = System.nanoTime();
        process.destroyForcibly();
        if (!exitedWithin(EXIT_TIMEOUT)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive " + EXIT_TIMEOUT
                    + " after SIGKILL");
        }
        return before;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " on " + HOST + ":" + port + (process.isAlive() ? "" : " (dead)");
    }

    private boolean exitedWithin(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
    }

    /** One raw PING: true only for +PONG. */
    private static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return "+PONG".equals(in.readLine());
        } catch (IOException notYet) {
            return false;
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    private static String readFrom(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}

package dev.gridstate.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One of our services run as operators run it, {@code java -jar <jar>} configured by its
 * environment, on a loopback port, with its output in a log file: so a test or the local
 * topology can stop it as an operator would (SIGTERM) or kill it as a fault does (SIGKILL).
 * A JVM that exits leaves none behind (a shutdown hook kills what is still running).
 */
public final class JarProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JarProcess.class);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final URI uri;
    private final Path log;
    private final Thread killOnExit;

    private JarProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.uri = URI.create("http://127.0.0.1:" + port);
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code jar} with the running JVM's {@code java}, {@code jvmArgs} before {@code -jar},
     * {@code env} added to this process's environment, {@code MICRONAUT_SERVER_PORT} set to
     * {@code port}, and stdout and stderr into {@code log}.
     */
    public static JarProcess start(Path jar, String name, int port, Map<String, String> env, List<String> jvmArgs,
                                   Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it first (./mvnw -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new JarProcess(name, builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
        }
    }

    /**
     * Starts a process with {@code start} and waits until {@code GET path} answers 200; one that
     * exits while starting is started again, {@code attempts} times in all, as a supervisor would
     * restart it. (A gateway exits when its first Redis connection misses the URI's timeout,
     * which a busy machine makes happen.) A process that is still running but never answered is
     * not retried: it is closed and the failure thrown.
     */
    public static JarProcess startAndAwait(Supplier<JarProcess> start, String path, Duration timeout, int attempts) {
        for (int attempt = 1; ; attempt++) {
            JarProcess started = start.get();
            try {
                started.awaitAnswer(path, timeout);
                return started;
            } catch (IllegalStateException failed) {
                boolean exited = !started.isAlive();
                started.close();
                if (!exited || attempt >= attempts) {
                    throw failed;
                }
                LOG.warn("{} exited while starting (attempt {} of {}); starting it again: {}", started.name(), attempt,
                        attempts, failed.getMessage());
            }
        }
    }

    /** The environment variable Micronaut reads a property from: {@code replication.queue-prefix} → {@code REPLICATION_QUEUE_PREFIX}. */
    public static String envName(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Waits until {@code GET path} answers 200; fails, naming the log, if the process exits or the time runs out. */
    public void awaitAnswer(String path, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet: wait and ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " did not answer " + path + " within " + timeout + "; see " + log);
    }

    public URI uri() {
        return uri;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The log so far, for a failure message. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    /** The process id, to read its CPU time. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs in the process, nothing is said goodbye to. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(10);
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it has not stopped within 10 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(10)) {
                kill();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + "[" + uri + ", log " + log + "]";
    }
}

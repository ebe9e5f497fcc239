package dev.gridstate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ node of our own, run as the current user from a temporary directory, on free
 * loopback ports. Stopped with rabbitmqctl, then killed with its process tree if need be.
 */
final class PrivateRabbitNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateRabbitNode.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String CONFIG_RESOURCE = "infra/rabbitmq/private-node.conf";
    private static final int PORT_ATTEMPTS = 3;

    private final RabbitScripts scripts;
    private final RabbitNodeEnvironment env;
    private final Path log;
    private final long hookId;
    private Process process;
    private boolean closed;

    private PrivateRabbitNode(RabbitScripts scripts, RabbitNodeEnvironment env) {
        this.scripts = scripts;
        this.env = env;
        this.log = env.workDir().resolve("server.log");
        this.hookId = ShutdownHooks.register("RabbitMQ node " + env.nodeName(), this::close);
    }

    static PrivateRabbitNode start(RabbitScripts scripts) {
        ProcessLedger.instance();
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            PrivateRabbitNode node = new PrivateRabbitNode(scripts, newEnvironment());
            try {
                if (node.launch()) {
                    return node;
                }
                LOG.info("{} could not bind its ports, trying others", node.describe());
                node.close();
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
        }
        throw new IllegalStateException("no private RabbitMQ node could bind free ports in "
                + PORT_ATTEMPTS + " attempts");
    }

    String uri() {
        return "amqp://guest:guest@127.0.0.1:" + env.amqpPort();
    }

    String nodeName() {
        return env.nodeName();
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The script process and everything it started, right now. */
    synchronized List<ProcessHandle> processes() {
        if (process == null) {
            return List.of();
        }
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    }

    /** Stops the node (rabbitmqctl stop, then SIGKILL to its process tree) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (isRunning()) {
            Instant stopping = Instant.now();
            List<ProcessHandle> tree = processes();
            stopGracefully();
            killAll(tree);
            LOG.info("{} stopped after {} ms", describe(), Duration.between(stopping, Instant.now()).toMillis());
        }
        if (process != null) {
            ProcessLedger.instance().forget(process.toHandle());
        }
        WorkDirs.deleteRecursively(env.workDir());
        ShutdownHooks.deregister(hookId);
    }

    private static RabbitNodeEnvironment newEnvironment() {
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return new RabbitNodeEnvironment(WorkDirs.create("gridstate-rabbitmq-"),
                "gridstate-" + suffix + "@localhost", Ports.freePort(), Ports.freePort());
    }

    /** Starts the node; false if a port was taken, an exception on any other failure. */
    private boolean launch() {
        prepareFiles();
        Instant started = Instant.now();
        ProcessBuilder builder = new ProcessBuilder(scripts.server().toString())
                .directory(env.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectInput(Redirect.from(Path.of("/dev/null").toFile()));
        RabbitNodeEnvironment.apply(builder.environment(), env.forServer());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + scripts.server(), e);
        }
        ProcessLedger.instance().record("rabbitmq node " + env.nodeName(), process.toHandle(), env.workDir());
        if (!awaitAmqp()) {
            return false;
        }
        LOG.info("{} accepts AMQP after {} ms", describe(), Duration.between(started, Instant.now()).toMillis());
        return true;
    }

    private void prepareFiles() {
        try {
            Files.createDirectories(env.home());
            Files.createDirectories(env.mnesiaBase());
            Files.createDirectories(env.logBase());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories of " + describe(), e);
        }
        WorkDirs.copyResource(CONFIG_RESOURCE, env.configFile());
        WorkDirs.write(env.confEnvFile(), "");
        WorkDirs.write(env.enabledPluginsFile(), "[].\n");
    }

    private boolean awaitAmqp() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!AmqpConnections.accepts(uri(), Duration.ofSeconds(1))) {
            if (exitedWithin(POLL)) {
                if (WorkDirs.readFrom(log, 0).contains("eaddrinuse")) {
                    return false;
                }
                throw new IllegalStateException(describe() + " exited with code " + process.exitValue()
                        + " during start-up; output " + log + ":\n" + WorkDirs.tail(log, 40));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(describe() + " did not accept AMQP within " + START_TIMEOUT
                        + "; output " + log + ":\n" + WorkDirs.tail(log, 40));
            }
        }
        return true;
    }

    /** rabbitmqctl stop, then wait for the node to exit; on any failure the caller kills it. */
    private void stopGracefully() {
        List<String> command = List.of(scripts.ctl().toString(), "-n", env.nodeName(), "stop");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(env.workDir().resolve("ctl.log").toFile()));
        RabbitNodeEnvironment.apply(builder.environment(), env.forCtl());
        try {
            Process ctl = builder.start();
            boolean stopped = ctl.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && ctl.exitValue() == 0;
            if (!stopped) {
                ctl.destroyForcibly();
                LOG.warn("'{}' did not stop {}; killing it", String.join(" ", command), describe());
                return;
            }
            if (!exitedWithin(STOP_TIMEOUT)) {
                LOG.warn("{} still running {} after rabbitmqctl stop; killing it", describe(), STOP_TIMEOUT);
            }
        } catch (IOException e) {
            LOG.warn("cannot run '{}'; killing {}", String.join(" ", command), describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping {}; killing it", describe(), e);
        }
    }

    /** SIGKILL to whatever of the tree is left, then wait until all of it is gone. */
    private void killAll(List<ProcessHandle> tree) {
        tree.forEach(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException(describe() + ": pid " + handle.pid() + " still alive "
                        + STOP_TIMEOUT + " after SIGKILL", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + describe() + " to exit", e);
            }
        }
    }

    private boolean exitedWithin(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + describe(), e);
        }
    }

    private String describe() {
        return "private RabbitMQ node " + env.nodeName() + " on 127.0.0.1:" + env.amqpPort();
    }
}

package dev.gridstate.testkit;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A real redis-server on 127.0.0.1 for one test or test class, with faults on demand.
 *
 * <p>{@link #startRegional()} is volatile (a restart comes back empty); {@link #startCentral()}
 * keeps an append-only file (a restart replays it). Each server has its own free port and
 * temporary directory. {@link #close()} kills it and deletes the directory; a JVM shutdown hook
 * and a pid file per process make sure that no server outlives the JVM that started it, even
 * when that JVM is killed.
 *
 * <p>Uses the local {@code redis-server}; without it, {@code redis:7-alpine} through Docker;
 * without either, throws {@link MissingComponentException}.
 *
 * <p>A {@link RedisCluster} hands out its nodes as servers too: their commands go to that one node
 * (a key of another node's slot is answered with MOVED), and a restarted node rejoins the cluster.
 */
public final class RedisServer implements AutoCloseable {

    private final RedisRole role;
    private final RedisProcess process;
    private StatefulRedisConnection<String, String> connection;
    private boolean closed;

    /** Wraps a process already started in {@code role}; the server owns it from now on. */
    RedisServer(RedisRole role, RedisProcess process) {
        this.role = role;
        this.process = process;
    }

    /** A volatile regional Redis (no RDB, no AOF). */
    public static RedisServer startRegional() {
        return start(RedisRole.REGIONAL);
    }

    /** A durable central Redis (AOF with fsync every second). */
    public static RedisServer startCentral() {
        return start(RedisRole.CENTRAL);
    }

    private static RedisServer start(RedisRole role) {
        Optional<Path> executable = Executables.find("redis-server");
        if (executable.isPresent()) {
            return new RedisServer(role, LocalRedisProcess.start(executable.get(), role));
        }
        if (Docker.isAvailable()) {
            return new RedisServer(role, ContainerRedisProcess.start(role));
        }
        throw new MissingComponentException(
                "redis-server is not on PATH (nor in /usr/sbin, /usr/local/bin) and no Docker engine is reachable");
    }

    public String host() {
        return process.host();
    }

    public int port() {
        return process.port();
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://" + host() + ":" + port();
    }

    /** SIGKILL, as a crash: no save, no goodbye to clients. Returns once the process is gone. */
    public synchronized void kill() {
        requireOpen("kill");
        closeConnection();
        process.kill();
    }

    /** SIGSTOP: connections stay open and commands time out until {@link #resume()}. */
    public synchronized void hang() {
        requireOpen("hang");
        process.hang();
    }

    /** SIGCONT: a hung server answers again, including what was sent while it hung. */
    public synchronized void resume() {
        requireOpen("resume");
        process.resume();
    }

    /**
     * Starts again on the same port and directory, killing first if still running. Returns once
     * the server answers PING: central has replayed its AOF, regional is empty. A cluster node
     * comes back empty with its nodes.conf and rejoins; {@link RedisCluster#awaitHealthy()} waits
     * until it has (as a replica, if its slots went to another node meanwhile).
     */
    public synchronized void restart() {
        requireOpen("restart");
        closeConnection();
        process.restart();
    }

    public synchronized boolean isRunning() {
        return !closed && process.isRunning();
    }

    /** Empties the server; on a cluster master, its replica follows and the other masters keep their keys. */
    public void flushAll() {
        commands().flushall();
    }

    public long dbSize() {
        return commands().dbsize();
    }

    /**
     * Synchronous commands on a connection the server owns, opened on first use with a 5 s
     * timeout and closed by {@link #kill()}, {@link #restart()} and {@link #close()}.
     * For inspecting keys; the code under test should use its own client.
     */
    public synchronized RedisCommands<String, String> commands() {
        requireOpen("use");
        if (connection == null) {
            connection = InspectionClient.connect(host(), port());
        }
        return connection.sync();
    }

    /** Kills the server and deletes its directory; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeConnection();
        process.close();
    }

    /** The server's process id, when it runs as a local process (not in a container). */
    public OptionalLong pid() {
        return process.pid();
    }

    @Override
    public String toString() {
        return "RedisServer[" + role.label() + " " + uri() + (closed ? ", closed" : "") + "]";
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new IllegalStateException("cannot " + action + " " + this + ": it is closed");
        }
    }
}

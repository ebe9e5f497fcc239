package dev.gridstate.bench.sentinel;

import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.WorkDirs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis primary, one replica and three sentinels on 127.0.0.1, as child processes in one
 * temporary work dir, for measuring Sentinel failover.
 *
 * <p>The data nodes are volatile ({@code --save "" --appendonly no}). Each sentinel has its own
 * conf file (Sentinel rewrites it) holding only {@code sentinel resolve-hostnames no},
 * {@code sentinel monitor <name> 127.0.0.1 <primary> 2} and, when set,
 * {@code sentinel down-after-milliseconds}; everything else is Redis 7.0's default
 * (down-after 30000 ms, failover-timeout 180000 ms, parallel-syncs 1).
 *
 * <p>{@link #start} returns once the replica is in sync and every sentinel sees the primary,
 * the replica and the two other sentinels. {@link #close()} kills every process and deletes the
 * work dir; a JVM shutdown hook does the same if nobody closes the set.
 */
public final class SentinelSet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelSet.class);
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration INSPECTION_TIMEOUT = Duration.ofMillis(500);

    private final Settings settings;
    private final Path workDir;
    private final List<RedisChild> children = new ArrayList<>();
    private final RedisClient inspector = RedisClient.create();
    private final Thread shutdownHook = new Thread(this::close, "sentinel-set-shutdown");
    private RedisChild primary;
    private RedisChild replica;
    private final List<RedisChild> sentinels = new ArrayList<>();
    private boolean closed;

    /**
     * @param masterName    the name the sentinels monitor the primary under
     * @param downAfter     {@code sentinel down-after-milliseconds}; empty leaves Redis's default (30 s)
     * @param readyTimeout  how long {@link #start} may wait for sync and for the sentinels to meet
     */
    public record Settings(String masterName, Optional<Duration> downAfter, Duration readyTimeout) {

        public Settings {
            if (masterName == null || !masterName.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("masterName must be 1 to 64 of [A-Za-z0-9._-], but was '" + masterName + "'");
            }
            downAfter.ifPresent(d -> {
                if (d.toMillis() < 1) {
                    throw new IllegalArgumentException("downAfter must be at least 1 ms, but was " + d);
                }
            });
            if (readyTimeout == null || readyTimeout.isNegative() || readyTimeout.isZero()) {
                throw new IllegalArgumentException("readyTimeout must be positive, but was " + readyTimeout);
            }
        }

        /** Redis's default down-after (30 s). */
        public static Settings defaults() {
            return new Settings("gridstate-bench", Optional.empty(), Duration.ofSeconds(40));
        }

        public Settings withDownAfter(Duration downAfter) {
            return new Settings(masterName, Optional.of(downAfter), readyTimeout);
        }
    }

    private SentinelSet(Settings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    public static SentinelSet start(Settings settings) {
        Path workDir = WorkDirs.create("gridstate-sentinel-set-");
        SentinelSet set = new SentinelSet(settings, workDir);
        Runtime.getRuntime().addShutdownHook(set.shutdownHook);
        try {
            set.startAll();
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    public Settings settings() {
        return settings;
    }

    public String masterName() {
        return settings.masterName();
    }

    public int primaryPort() {
        return primary.port();
    }

    public int replicaPort() {
        return replica.port();
    }

    public List<Integer> sentinelPorts() {
        return sentinels.stream().map(RedisChild::port).toList();
    }

    /** A Lettuce URI that finds the master through the three sentinels. */
    public RedisURI clientUri(Duration timeout) {
        RedisURI.Builder builder = RedisURI.Builder.sentinel(RedisChild.HOST, sentinels.getFirst().port(), masterName());
        sentinels.stream().skip(1).forEach(s -> builder.withSentinel(RedisChild.HOST, s.port()));
        return builder.withTimeout(timeout).build();
    }

    /**
     * SIGKILL of the primary: no save, no goodbye to clients. Answers the {@link System#nanoTime()}
     * of the signal; returns once the process is gone.
     */
    public synchronized long killPrimary() {
        requireOpen("kill the primary of");
        long killed = primary.kill();
        LOG.info("SIGKILLed the primary {}", primary);
        return killed;
    }

    /** The master port each sentinel reports now, empty for a sentinel that does not answer. */
    public List<Optional<Integer>> reportedMasterPorts() {
        return sentinels.stream().map(s -> Optional.ofNullable(askSentinel(s, c -> {
            SocketAddress address = c.sync().getMasterAddrByName(masterName());
            return address instanceof InetSocketAddress inet ? inet.getPort() : null;
        }))).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (RedisChild child : children.reversed()) {
            try {
                if (child.isAlive()) {
                    child.kill();
                }
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        inspector.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        WorkDirs.deleteRecursively(workDir);
        if (!Thread.currentThread().equals(shutdownHook)) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("could not stop every process of the sentinel set in " + workDir);
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "SentinelSet[" + masterName() + ", primary " + primary + ", replica " + replica + ", sentinels "
                + sentinels + ", down-after " + settings.downAfter().map(d -> d.toMillis() + " ms").orElse("default")
                + "]";
    }

    private void startAll() {
        long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
        primary = startOnFreePort("primary", port -> dataNodeCommand("primary", port, List.of()));
        replica = startOnFreePort("replica", port -> dataNodeCommand("replica", port,
                List.of("--replicaof", RedisChild.HOST, Integer.toString(primary.port()))));
        awaitUntil(deadline, "the replica " + replica + " to be in sync", this::replicaInSync);
        for (int i = 1; i <= SENTINELS; i++) {
            String name = "sentinel-" + i;
            sentinels.add(startOnFreePort(name, port -> sentinelCommand(name, port)));
        }
        for (RedisChild sentinel : sentinels) {
            awaitUntil(deadline, sentinel + " to see the primary, the replica and " + (SENTINELS - 1)
                    + " other sentinels", () -> sentinelReady(sentinel));
        }
        LOG.info("ready: {}", this);
    }

    private RedisChild startOnFreePort(String name, Function<Integer, List<String>> command) {
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            Optional<RedisChild> child = RedisChild.start(name, port, workDir.resolve(name + ".log"), command.apply(port));
            if (child.isPresent()) {
                children.add(child.get());
                return child.get();
            }
            LOG.info("{} could not bind port {}, trying another one", name, port);
        }
        throw new IllegalStateException(name + " could not bind a free port in " + PORT_ATTEMPTS + " attempts");
    }

    private List<String> dataNodeCommand(String name, int port, List<String> extra) {
        Path dir = createDir(workDir.resolve(name));
        List<String> command = new ArrayList<>(List.of(RedisChild.executable().toString(),
                "--port", Integer.toString(port), "--bind", RedisChild.HOST, "--dir", dir.toString(),
                "--save", "", "--appendonly", "no", "--daemonize", "no"));
        command.addAll(extra);
        return command;
    }

    private List<String> sentinelCommand(String name, int port) {
        Path dir = createDir(workDir.resolve(name));
        StringBuilder conf = new StringBuilder()
                .append("port ").append(port).append('\n')
                .append("bind ").append(RedisChild.HOST).append('\n')
                .append("daemonize no\n")
                .append("dir ").append(dir).append('\n')
                .append("sentinel resolve-hostnames no\n")
                .append("sentinel monitor ").append(masterName()).append(' ').append(RedisChild.HOST).append(' ')
                .append(primary.port()).append(' ').append(QUORUM).append('\n');
        settings.downAfter().ifPresent(d -> conf.append("sentinel down-after-milliseconds ").append(masterName())
                .append(' ').append(d.toMillis()).append('\n'));
        Path file = dir.resolve("sentinel.conf");
        try {
            Files.writeString(file, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return List.of(RedisChild.executable().toString(), file.toString(), "--sentinel");
    }

    private boolean replicaInSync() {
        try (StatefulRedisConnection<String, String> c = inspector.connect(uri(replica.port()))) {
            return c.sync().info("replication").contains("master_link_status:up");
        } catch (RuntimeException notYet) {
            LOG.debug("replica {} not ready: {}", replica, notYet.toString());
            return false;
        }
    }

    private boolean sentinelReady(RedisChild sentinel) {
        Boolean ready = askSentinel(sentinel, c -> {
            Map<String, String> master = c.sync().master(masterName());
            List<Map<String, String>> replicas = c.sync().replicas(masterName());
            return "master".equals(master.get("flags"))
                    && Integer.toString(SENTINELS - 1).equals(master.get("num-other-sentinels"))
                    && replicas.size() == 1
                    && "slave".equals(replicas.getFirst().get("flags"))
                    && Integer.toString(replica.port()).equals(replicas.getFirst().get("port"))
                    && "ok".equals(replicas.getFirst().get("master-link-status"));
        });
        return Boolean.TRUE.equals(ready);
    }

    /** The answer of one sentinel, or null when it cannot answer within the inspection timeout. */
    private <T> T askSentinel(RedisChild sentinel, Function<StatefulRedisSentinelConnection<String, String>, T> question) {
        try (StatefulRedisSentinelConnection<String, String> c = inspector.connectSentinel(uri(sentinel.port()))) {
            return question.apply(c);
        } catch (RuntimeException unanswered) {
            LOG.debug("{} did not answer: {}", sentinel, unanswered.toString());
            return null;
        }
    }

    private static RedisURI uri(int port) {
        return RedisURI.Builder.redis(RedisChild.HOST, port).withTimeout(INSPECTION_TIMEOUT).build();
    }

    private void awaitUntil(long deadlineNanos, String what, BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + settings.readyTimeout()
                        + " in all; " + this + "; logs in " + workDir);
            }
            sleep(POLL);
        }
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new IllegalStateException("cannot " + action + " " + this + ": it is closed");
        }
    }

    private static Path createDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sentinel set", e);
        }
    }
}

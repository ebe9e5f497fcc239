package dev.gridstate.testkit;

import io.lettuce.core.cluster.SlotHash;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster on 127.0.0.1: three masters and a replica each, six local redis-server
 * processes with {@code infra/redis/cluster.conf}, each on a free port (and bus port) in its own
 * temporary directory, joined by {@code redis-cli --cluster create}.
 *
 * <p>{@link #start()} returns once the cluster has settled (see {@link #awaitHealthy()}). The nodes
 * are {@link RedisServer}s, so a test faults them one by one: {@code masterFor("{eu-west}").kill()}.
 * A killed node restarted with {@link RedisServer#restart()} comes back empty with its nodes.conf and
 * rejoins, as the replica of whoever took its slots. {@link #close()} kills all six and deletes their
 * directories; as for any {@code RedisServer}, a shutdown hook and pid files make sure that no node
 * outlives the JVM.
 *
 * <p>Needs the local {@code redis-server} and {@code redis-cli} (Debian: redis-server, redis-tools);
 * there is no Docker fallback. Without either it throws {@link MissingComponentException}.
 */
public final class RedisCluster implements AutoCloseable {

    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(1000);
    public static final Duration DEFAULT_AWAIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    private static final int MASTERS = 3;
    private static final int REPLICAS_PER_MASTER = 1;

    private final List<RedisServer> nodes;
    private final Duration awaitTimeout;
    private boolean closed;

    private RedisCluster(List<RedisServer> nodes, Duration awaitTimeout) {
        this.nodes = List.copyOf(nodes);
        this.awaitTimeout = awaitTimeout;
    }

    /** A cluster with the defaults: node timeout 1 s, waits bounded by 30 s. */
    public static RedisCluster start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a cluster to start; each has a default. */
    public static final class Builder {

        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private Duration awaitTimeout = DEFAULT_AWAIT_TIMEOUT;

        private Builder() {
        }

        /**
         * {@code cluster-node-timeout}: how long a node may not answer before it is suspected; a
         * master's failover follows about one to two of these later. Whole milliseconds, default 1 s.
         */
        public Builder nodeTimeout(Duration nodeTimeout) {
            if (nodeTimeout.toMillis() < 1 || nodeTimeout.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException(
                        "nodeTimeout must be a whole number of milliseconds, at least 1, but was " + nodeTimeout);
            }
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /** Bound of every wait: redis-cli, the cluster settling, a failover. Default 30 s. */
        public Builder awaitTimeout(Duration awaitTimeout) {
            if (awaitTimeout.isNegative() || awaitTimeout.isZero()) {
                throw new IllegalArgumentException("awaitTimeout must be positive, but was " + awaitTimeout);
            }
            this.awaitTimeout = awaitTimeout;
            return this;
        }

        /** Starts six nodes, joins them and returns once the cluster has settled. */
        public RedisCluster start() {
            Path server = Executables.find("redis-server").orElseThrow(() -> new MissingComponentException(
                    "redis-server is not on PATH (nor in /usr/sbin, /usr/local/bin); a RedisCluster needs it locally"));
            Path cli = Executables.find("redis-cli").orElseThrow(() -> new MissingComponentException(
                    "redis-cli is not on PATH (nor in /usr/sbin, /usr/local/bin); Debian ships it in redis-tools"));
            Instant begin = Instant.now();
            List<RedisServer> nodes = startNodes(server);
            try {
                Instant launched = Instant.now();
                String created = ClusterCreate.run(cli, nodes, REPLICAS_PER_MASTER, awaitTimeout);
                Instant joined = Instant.now();
                RedisCluster cluster = new RedisCluster(nodes, awaitTimeout);
                Duration settled = ClusterHealth.await(cluster + " to settle after redis-cli --cluster create",
                        awaitTimeout, () -> ClusterHealth.problem(nodes), () -> "; redis-cli said:\n" + created);
                LOG.info("{} up in {} ms: nodes started in {} ms, redis-cli --cluster create {} ms, "
                        + "settled {} ms later", cluster, Duration.between(begin, Instant.now()).toMillis(),
                        Duration.between(begin, launched).toMillis(), Duration.between(launched, joined).toMillis(),
                        settled.toMillis());
                return cluster;
            } catch (RuntimeException e) {
                try {
                    closeAll(nodes);
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        /** Starts the nodes side by side; if one cannot start, closes the others and throws. */
        private List<RedisServer> startNodes(Path server) {
            List<Future<RedisServer>> starts;
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                starts = IntStream.range(0, MASTERS * (1 + REPLICAS_PER_MASTER))
                        .mapToObj(i -> executor.submit(() -> new RedisServer(RedisRole.CLUSTER_NODE,
                                LocalRedisProcess.start(server, RedisRole.CLUSTER_NODE, this::nodeArgs))))
                        .toList();
            }
            List<RedisServer> nodes = starts.stream().filter(start -> start.state() == Future.State.SUCCESS)
                    .map(Future::resultNow).toList();
            List<Throwable> failures = starts.stream().filter(start -> start.state() == Future.State.FAILED)
                    .map(Future::exceptionNow).toList();
            if (failures.isEmpty()) {
                return nodes;
            }
            IllegalStateException failure = new IllegalStateException(failures.size() + " of " + starts.size()
                    + " cluster nodes did not start: " + failures.getFirst().getMessage(), failures.getFirst());
            failures.stream().skip(1).forEach(failure::addSuppressed);
            try {
                closeAll(nodes);
            } catch (RuntimeException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }

        // A bus port of our choosing: the default, port + 10000, is past 65535 for half the free ports.
        private List<String> nodeArgs() {
            return List.of("--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                    "--cluster-port", Integer.toString(Ports.freePort()));
        }
    }

    /** The six nodes in the order they were started; which are masters changes with failovers. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:<port>} of every node, for a cluster client to discover the rest. */
    public List<String> seedUris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    /**
     * The master of {@code key}'s hash slot, as the first running node sees it. Between a master's
     * death and its replica's promotion that is still the dead master.
     */
    public RedisServer masterFor(String key) {
        int slot = SlotHash.getSlot(key);
        RedisServer asked = firstRunning();
        ClusterTopology.Node owner = view(asked).ownerOf(slot).orElseThrow(() -> new IllegalStateException(
                "no master serves slot " + slot + " (key '" + key + "') as " + asked + " sees " + this));
        return byPort(owner.port());
    }

    /** The replica of {@code master} (the first by port if it has several), as the first running node sees it. */
    public RedisServer replicaOf(RedisServer master) {
        if (!nodes.contains(master)) {
            throw new IllegalArgumentException(master + " is not a node of " + this);
        }
        RedisServer asked = firstRunning();
        ClusterTopology view = view(asked);
        ClusterTopology.Node seen = view.byPort(master.port()).orElseThrow(() -> new IllegalStateException(
                asked + " does not know " + master));
        if (!seen.isMaster()) {
            throw new IllegalStateException(master + " is a replica, not a master, as " + asked + " sees it");
        }
        return view.replicasOf(seen).stream().findFirst().map(replica -> byPort(replica.port()))
                .orElseThrow(() -> new IllegalStateException(master + " has no replica as " + asked + " sees it"));
    }

    /**
     * SIGKILLs the master of {@code key}'s slot and waits until another node serves the slot and the
     * cluster has settled again ({@link #awaitHealthy()}); returns the time from the kill to then.
     */
    public Duration killMasterFor(String key) {
        RedisServer master = masterFor(key);
        master.kill();
        return ClusterHealth.await("a replica of " + master + " (killed, master of '" + key + "') to take over",
                awaitTimeout, () -> ClusterHealth.problem(nodes), () -> "");
    }

    /**
     * Waits until the cluster has settled, as the running nodes tell it: each reports
     * cluster_state:ok with all 16384 slots served, they agree on who serves which slots and who
     * replicates whom, every slot's master runs, none suspects a running node, and every running
     * replica's link to its master is up. Returns how long that took; throws after the await timeout.
     */
    public Duration awaitHealthy() {
        return ClusterHealth.await(this + " to settle", awaitTimeout, () -> ClusterHealth.problem(nodes), () -> "");
    }

    /** Kills every node and deletes their directories; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(nodes);
    }

    @Override
    public String toString() {
        String ports = nodes.stream().map(node -> Integer.toString(node.port())).collect(Collectors.joining(","));
        return "RedisCluster[" + ports + (closed ? ", closed" : "") + "]";
    }

    /** Closes every node, also after one failed to close; throws the first failure, the others suppressed. */
    private static void closeAll(List<RedisServer> nodes) {
        RuntimeException failure = null;
        for (RedisServer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private RedisServer firstRunning() {
        return nodes.stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of " + this + " is running"));
    }

    private static ClusterTopology view(RedisServer node) {
        return ClusterTopology.parse(node.commands().clusterNodes());
    }

    private RedisServer byPort(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("port " + port + " is not a node of " + this));
    }
}

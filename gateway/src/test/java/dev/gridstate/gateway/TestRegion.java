package dev.gridstate.gateway;

import dev.gridstate.testkit.RedisCluster;
import dev.gridstate.testkit.RedisServer;

import io.lettuce.core.api.sync.RedisCommands;

import java.util.ArrayList;
import java.util.Base64;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Region {@code eu-west} for a test: its own regional and central redis-server, and N gateway
 * replicas. With {@code -Dgridstate.test.regional=cluster} (the gateway module's cluster
 * profile), the regional Redis is a Redis Cluster of 3 masters and 3 replicas instead.
 */
public final class TestRegion implements AutoCloseable {

    public static final String NAME = "eu-west";
    /** The prefix of every key of the region. */
    public static final String KEYS = "{" + NAME + "}:";

    private final RedisServer regional;
    private final RedisCluster cluster;
    private final RedisServer central;
    private final List<TestGateway> gateways = new ArrayList<>();

    private TestRegion(RedisServer regional, RedisCluster cluster, RedisServer central) {
        this.regional = regional;
        this.cluster = cluster;
        this.central = central;
    }

    /** True when this run's regional Redis is a Redis Cluster (the cluster profile). */
    public static boolean clustered() {
        return "cluster".equals(System.getProperty("gridstate.test.regional"));
    }

    public static TestRegion start(int replicas, Map<String, Object> settings) {
        TestRegion region = clustered()
                ? new TestRegion(null, RedisCluster.start(), RedisServer.startCentral())
                : new TestRegion(RedisServer.startRegional(), null, RedisServer.startCentral());
        try {
            for (int i = 0; i < replicas; i++) {
                region.gateways.add(TestGateway.start(NAME, region.regionalSettings(), region.central, settings));
            }
        } catch (RuntimeException e) {
            region.close();
            throw e;
        }
        return region;
    }

    /** The {@code redis.servers.regional.*} settings of a gateway of this region. */
    public Map<String, Object> regionalSettings() {
        if (cluster == null) {
            return Map.of("redis.servers.regional.uri", regional.uri() + "?timeout=1s");
        }
        return Map.of("redis.servers.regional.uris", cluster.seedUris().stream().map(uri -> uri + "?timeout=1s").toList());
    }

    /**
     * The regional Redis; on a cluster, the master that holds the region's slot now (every key
     * of the region is in it), so a test reads and writes the region's keys on it directly.
     */
    public RedisServer regional() {
        return cluster == null ? regional : cluster.masterFor(KEYS);
    }

    /** The regional Redis Cluster, when this run has one. */
    public Optional<RedisCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    public RedisServer central() {
        return central;
    }

    /**
     * Empties central, then the regional Redis: a clean slate between tests. Emptying only the
     * regional one would be a data loss, which the gateways repair by refilling durable state
     * from central; emptying it without its epoch marker would be one too, repaired by serving
     * from central until it is refilled.
     */
    public void reset() {
        central.flushAll();
        RedisServer regional = regional();
        RedisCommands<String, String> redis = regional.commands();
        synchronized (regional) {
            // In one transaction with the epoch marker: the gateways never see a region that lost its state.
            redis.multi();
            redis.flushall();
            redis.set(KEYS + "epoch", "reset by a test");
            redis.exec();
        }
    }

    public TestGateway gateway(int replica) {
        return gateways.get(replica);
    }

    /** HTTP to the first replica. */
    public Http http() {
        return gateway(0).http();
    }

    /**
     * Every key of the regional Redis with its serialized value: equal snapshots mean nothing
     * changed. The change log's clock and epoch marker are left out: the gateways write them in
     * the background (an export of an earlier change, the check after a flush).
     */
    public Map<String, String> snapshot() {
        RedisCommands<String, String> redis = regional().commands();
        Map<String, String> all = new TreeMap<>();
        for (String key : redis.keys("*")) {
            if (key.equals(KEYS + "clock") || key.equals(KEYS + "epoch")) {
                continue;
            }
            all.put(key, Base64.getEncoder().encodeToString(redis.dump(key)));
        }
        return all;
    }

    @Override
    public void close() {
        gateways.forEach(TestGateway::close);
        if (cluster != null) {
            cluster.close();
        } else {
            regional.close();
        }
        central.close();
    }
}

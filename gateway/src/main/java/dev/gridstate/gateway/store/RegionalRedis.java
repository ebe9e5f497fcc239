package dev.gridstate.gateway.store;

import dev.gridstate.state.Keys;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.micronaut.configuration.lettuce.NamedRedisServersConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The region's own Redis: one server ({@code redis.servers.regional.uri}, Micronaut's client), or
 * a Redis Cluster ({@code redis.servers.regional.uris}, the seed nodes, with Lettuce's cluster
 * client; set, it wins over {@code uri}). Both are seen through the commands a cluster
 * connection has, so the rest of the gateway runs the same scripts on either.
 *
 * <p>Every key of a region carries the region's hash tag ({@code {eu-west}:…}), so the whole
 * region lives in one slot: Lettuce sends every script and multi-key command, by its first key,
 * to the one master that holds it (a SCAN of the region visits every master; the others hold
 * none of its keys). The cluster client follows the topology: at once on MOVED/ASK, on a slot
 * without a node, on repeated reconnects, and every {@code gateway.store.cluster-refresh}
 * besides. Scripts run on the master whatever {@code redis.servers.regional.read-from} says;
 * the few plain reads (the change-log clock, the refill's marker) follow it, and it defaults to
 * the master, since they must see what was just written.
 */
@Singleton
public class RegionalRedis {

    private static final Logger LOG = LoggerFactory.getLogger(RegionalRedis.class);

    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisClusterCommands<String, String> sync;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSub;
    private final RedisClusterClient clusterClient;
    private final ClientResources resources;
    /** A key of the region: on a cluster, what routes a liveness check to the master that holds the region. */
    private final String regionKey;

    RegionalRedis(Keys keys, @Named("regional") NamedRedisServersConfiguration config,
                  @Named("regional") BeanProvider<StatefulRedisConnection<String, String>> server,
                  @Named("regional") BeanProvider<RedisClient> serverClient,
                  @Value("${gateway.store.cluster-refresh:30s}") Duration refresh) {
        this.regionKey = keys.epoch();
        List<RedisURI> seeds = config.getUris();
        if (seeds.isEmpty()) {
            StatefulRedisConnection<String, String> one = server.get();
            RedisClient client = serverClient.get();
            this.connection = one;
            this.async = one.async();
            this.sync = one.sync();
            this.pubSub = client::connectPubSub;
            this.clusterClient = null;
            this.resources = null;
            return;
        }
        this.resources = ClientResources.builder().reconnectDelay(FailFastRedis.reconnectDelay()).build();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(clusterOptions(refresh));
        StatefulRedisClusterConnection<String, String> cluster = client.connect();
        Optional<ReadFrom> readFrom = config.getReadFrom();
        cluster.setReadFrom(readFrom.orElse(ReadFrom.UPSTREAM));
        this.connection = cluster;
        this.async = cluster.async();
        this.sync = cluster.sync();
        this.pubSub = client::connectPubSub;
        this.clusterClient = client;
        LOG.info("regional Redis: a Redis Cluster of {} node(s) from {} seed(s); topology refreshed on redirects "
                + "and every {}{}", cluster.getPartitions().size(), seeds.size(), refresh,
                config.getUri().isPresent() ? "; redis.servers.regional.uri is not used" : "");
    }

    /**
     * The options {@link FailFastRedis} gives a single server's client (commands refused while
     * disconnected, the URI's timeout on every command, a 1 s connect, TCP keepalive), plus the
     * topology refresh a cluster needs to follow a failover.
     */
    static ClusterClientOptions clusterOptions(Duration refresh) {
        return ClusterClientOptions.builder(FailFastRedis.options())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(refresh)
                        .enableAllAdaptiveRefreshTriggers()
                        // At most one refresh per this much, however many MOVEDs a failover sets off.
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .refreshTriggersReconnectAttempts(2)
                        .closeStaleConnections(true)
                        .build())
                .build();
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /**
     * A liveness check of the Redis that serves the region: PING on one server; on a cluster, an
     * EXISTS of a region's key, which goes where the state calls go (a PING would go to any
     * node, and answer while the region's master is down).
     */
    public CompletionStage<?> ping() {
        return clusterClient == null ? async.ping() : async.exists(regionKey);
    }

    /**
     * A new pub/sub connection, for one {@link ChannelSubscription}. On a cluster, PUBLISH
     * reaches every node, so a subscription on whichever node Lettuce picks hears the region's
     * channels. When that node fails, Lettuce reconnects the connection by itself, to a node of
     * the topology it knows (no test kills the subscribed node yet).
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return pubSub.get();
    }

    @PreDestroy
    void close() {
        if (clusterClient != null) {
            connection.close();
            clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}

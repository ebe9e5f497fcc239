package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisClusterIT {

    private static final String REGION = "{eu-west}";
    private static final String KEY = REGION + ":x";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROMOTION_BOUND = Duration.ofSeconds(10);

    private static RedisClient plainClient;

    @BeforeAll
    static void createClient() {
        plainClient = RedisClient.create();
    }

    @AfterAll
    static void shutdownClient() {
        plainClient.shutdown();
    }

    @Test
    @DisplayName("start returns a settled cluster: every node's state is ok, every replica's link is up")
    void shouldReturnASettledClusterFromStart() {
        Instant begin = Instant.now();
        try (RedisCluster cluster = RedisCluster.start()) {
            System.out.println("RedisCluster.start() took " + Duration.between(begin, Instant.now()).toMillis() + " ms");

            List<String> infos = cluster.nodes().stream().map(node -> node.commands().clusterInfo()).toList();
            List<String> replication = cluster.nodes().stream().map(node -> node.commands().info("replication")).toList();

            assertThat(infos).allSatisfy(info -> assertThat(info)
                    .contains("cluster_state:ok", "cluster_slots_ok:16384", "cluster_known_nodes:6"));
            assertThat(replication).filteredOn(info -> info.contains("role:slave")).hasSize(3)
                    .allSatisfy(info -> assertThat(info).contains("master_link_status:up"));
        }
    }

    @Test
    @DisplayName("a started cluster has three masters with a replica each, and serves all 16384 slots to a cluster client")
    void shouldServeAllSlotsFromThreeMastersWithAReplicaEach() {
        try (RedisCluster cluster = RedisCluster.start(); ClusterClient client = ClusterClient.of(cluster)) {
            Map<String, String> keys = IntStream.range(0, 200).boxed()
                    .collect(Collectors.toMap(i -> "node:" + i, i -> "value-" + i));

            keys.forEach(client.sync()::set);

            keys.forEach((key, value) -> assertThat(client.sync().get(key)).isEqualTo(value));
            List<RedisClusterNode> nodes = client.client().getPartitions().getPartitions();
            List<RedisClusterNode> masters = nodes.stream().filter(node -> node.getRole().isUpstream()).toList();
            List<RedisClusterNode> replicas = nodes.stream().filter(node -> node.getRole().isReplica()).toList();
            assertThat(masters).hasSize(3);
            assertThat(replicas).hasSize(3);
            assertThat(masters.stream().mapToInt(node -> node.getSlots().size()).sum()).isEqualTo(16384);
            assertThat(replicas).extracting(RedisClusterNode::getSlaveOf).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(masters.stream().map(RedisClusterNode::getNodeId).toList());
            assertThat(nodes).extracting(node -> node.getUri().getPort()).doesNotContain(6379)
                    .containsExactlyInAnyOrderElementsOf(cluster.nodes().stream().map(RedisServer::port).toList());
            assertThat(cluster.seedUris()).allMatch(uri -> uri.startsWith("redis://127.0.0.1:")).hasSize(6);
        }
    }

    @Test
    @DisplayName("masterFor names the node that owns the key's slot: a plain connection to it writes without MOVED")
    void shouldNameTheNodeThatOwnsTheSlotOfTheKey() {
        try (RedisCluster cluster = RedisCluster.start()) {
            RedisServer master = cluster.masterFor(REGION);
            String elsewhere = keyServedByAnotherMaster(cluster, master);

            try (StatefulRedisConnection<String, String> direct = connect(master)) {
                assertThat(direct.sync().set(KEY, "written-directly")).isEqualTo("OK");
                assertThatThrownBy(() -> direct.sync().set(elsewhere, "refused"))
                        .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("MOVED");
            }

            assertThat(cluster.masterFor(KEY)).isSameAs(master);
            assertThat(master.commands().get(KEY)).isEqualTo("written-directly");
            assertThat(cluster.replicaOf(master)).isNotSameAs(master).isIn(cluster.nodes());
        }
    }

    @Test
    @DisplayName("flushAll on a master empties it and its replica, and leaves the other masters' keys")
    void shouldEmptyOneMasterAndItsReplicaWhenFlushed() {
        try (RedisCluster cluster = RedisCluster.start(); ClusterClient client = ClusterClient.of(cluster)) {
            RedisServer master = cluster.masterFor(REGION);
            RedisServer replica = cluster.replicaOf(master);
            String elsewhere = keyServedByAnotherMaster(cluster, master);
            client.sync().set(KEY, "flushed");
            client.sync().set(elsewhere, "kept");
            awaitReplicated(replica, KEY, "flushed");

            master.flushAll();

            assertThat(master.dbSize()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> replica.dbSize() == 0);
            assertThat(client.sync().get(elsewhere)).isEqualTo("kept");
        }
    }

    @Test
    @DisplayName("SIGKILL of the master of {eu-west}: its replica takes over within 10 s, and the key written before is still read")
    void shouldPromoteTheReplicaWhenTheMasterIsKilled() {
        try (RedisCluster cluster = RedisCluster.start(); ClusterClient client = ClusterClient.of(cluster)) {
            RedisServer master = cluster.masterFor(REGION);
            RedisServer replica = cluster.replicaOf(master);
            client.sync().set(KEY, "before-failover");
            awaitReplicated(replica, KEY, "before-failover");

            Duration promotion = cluster.killMasterFor(REGION);

            System.out.println("promotion after SIGKILL took " + promotion.toMillis() + " ms (cluster-node-timeout "
                    + RedisCluster.DEFAULT_NODE_TIMEOUT.toMillis() + " ms)");
            assertThat(promotion).isLessThan(PROMOTION_BOUND);
            assertThat(master.isRunning()).isFalse();
            assertThat(cluster.masterFor(REGION)).isSameAs(replica);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> "before-failover".equals(client.sync().get(KEY)));
        }
    }

    @Test
    @DisplayName("a killed master restarted in its directory rejoins as the replica of the node promoted in its place")
    void shouldRejoinAsReplicaWhenAKilledMasterIsRestarted() {
        try (RedisCluster cluster = RedisCluster.start(); ClusterClient client = ClusterClient.of(cluster)) {
            RedisServer master = cluster.masterFor(REGION);
            RedisServer replica = cluster.replicaOf(master);
            client.sync().set(KEY, "before-failover");
            awaitReplicated(replica, KEY, "before-failover");
            cluster.killMasterFor(REGION);

            master.restart();
            Duration rejoin = cluster.awaitHealthy();

            System.out.println("rejoin after restart took " + rejoin.toMillis() + " ms");
            assertThat(cluster.masterFor(REGION)).isSameAs(replica);
            assertThat(cluster.replicaOf(replica)).isSameAs(master);
            awaitReplicated(master, KEY, "before-failover");
        }
    }

    @Test
    @DisplayName("close leaves no redis-server of the cluster running, killed or not, and may be called twice")
    void shouldLeaveNoProcessWhenClosed() {
        RedisCluster cluster = RedisCluster.start();
        List<Long> pids = cluster.nodes().stream().map(node -> node.pid().orElseThrow()).toList();
        cluster.masterFor(REGION).kill();

        cluster.close();
        cluster.close();

        assertThat(pids).hasSize(6).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true)));
        assertThat(cluster.nodes()).noneMatch(RedisServer::isRunning)
                .noneMatch(node -> RedisPing.answers(node.host(), node.port(), Duration.ofMillis(200)));
    }

    @Test
    @DisplayName("a cluster that is not up within the await timeout fails with redis-cli's output and leaves no node running")
    void shouldFailAndLeaveNoNodeWhenTheClusterIsNotUpInTime() {
        Set<ProcessHandle> before = ProcessHandle.current().children().collect(Collectors.toSet());

        assertThatThrownBy(() -> RedisCluster.builder().awaitTimeout(Duration.ofMillis(1)).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-cli --cluster create")
                .hasMessageContaining("did not finish within PT0.001S; its output:");

        // redis-server rewrites its command line, so the nodes are told apart as the children it started.
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> !before.contains(child)).toList()).isEmpty();
    }

    private static String keyServedByAnotherMaster(RedisCluster cluster, RedisServer master) {
        return IntStream.range(0, 1000).mapToObj(i -> "elsewhere:" + i)
                .filter(key -> cluster.masterFor(key) != master)
                .findFirst().orElseThrow();
    }

    /** Reads on the replica itself (READONLY), so a key is known to have got there before a fault. */
    private static void awaitReplicated(RedisServer replica, String key, String value) {
        try (StatefulRedisConnection<String, String> connection = connect(replica)) {
            connection.sync().readOnly();
            await().atMost(Duration.ofSeconds(10)).until(() -> value.equals(connection.sync().get(key)));
        }
    }

    private static StatefulRedisConnection<String, String> connect(RedisServer node) {
        return plainClient.connect(RedisURI.Builder.redis(node.host(), node.port()).withTimeout(COMMAND_TIMEOUT).build());
    }

    /** A Lettuce cluster client over the seed URIs, which follows failovers on its own. */
    private record ClusterClient(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection)
            implements AutoCloseable {

        static ClusterClient of(RedisCluster cluster) {
            List<RedisURI> seeds = cluster.seedUris().stream()
                    .map(uri -> RedisURI.builder(RedisURI.create(uri)).withTimeout(COMMAND_TIMEOUT).build())
                    .toList();
            RedisClusterClient client = RedisClusterClient.create(seeds);
            client.setOptions(ClusterClientOptions.builder()
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
                            .build())
                    .build());
            return new ClusterClient(client, client.connect());
        }

        RedisAdvancedClusterCommands<String, String> sync() {
            return connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}

package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterTopologyTest {

    // CLUSTER NODES of a Redis 7 node after the master on 7001 was killed and 7004 took over.
    private static final String AFTER_FAILOVER = """
            a1 127.0.0.1:7001@17001 master,fail - 1700000000000 1700000000000 1 disconnected
            b2 127.0.0.1:7002@17002,host-b myself,master - 0 1700000000000 2 connected 5461-10922
            c3 127.0.0.1:7003@17003 master - 0 1700000000000 3 connected 10923-16383 [10923->-b2]
            d4 127.0.0.1:7004@17004 master - 0 1700000000000 7 connected 0-5460
            e5 127.0.0.1:7005@17005 slave b2 0 1700000000000 2 connected
            f6 127.0.0.1:7006@17006 slave,fail? c3 0 1700000000000 3 connected
            """;

    @Test
    @DisplayName("the promoted replica owns the dead master's slots; migrating slots stay with their owner")
    void shouldFindTheOwnerOfEachSlot() {
        ClusterTopology topology = ClusterTopology.parse(AFTER_FAILOVER);

        assertThat(topology.ownerOf(0)).map(ClusterTopology.Node::port).contains(7004);
        assertThat(topology.ownerOf(5461)).map(ClusterTopology.Node::port).contains(7002);
        assertThat(topology.ownerOf(10923)).map(ClusterTopology.Node::port).contains(7003);
        assertThat(topology.ownerOf(16383)).map(ClusterTopology.Node::port).contains(7003);
        assertThat(topology.slotsCovered()).isEqualTo(16384);
        assertThat(topology.masters()).extracting(ClusterTopology.Node::port).containsExactly(7002, 7003, 7004);
    }

    @Test
    @DisplayName("replicas are found by their master's id; suspicion and failure are flags, not roles")
    void shouldReadReplicasAndFlags() {
        ClusterTopology topology = ClusterTopology.parse(AFTER_FAILOVER);
        ClusterTopology.Node b2 = topology.byPort(7002).orElseThrow();

        assertThat(topology.replicasOf(b2)).extracting(ClusterTopology.Node::port).containsExactly(7005);
        assertThat(topology.replicasOf(topology.byPort(7004).orElseThrow())).isEmpty();
        assertThat(topology.byPort(7001).orElseThrow().isFailing()).isTrue();
        assertThat(topology.byPort(7006).orElseThrow().isFailing()).isTrue();
        assertThat(b2.isFailing()).isFalse();
    }

    @Test
    @DisplayName("two nodes that differ only in flags and in who is 'myself' have the same layout")
    void shouldIgnoreFlagsInTheLayout() {
        String seenFrom7005 = AFTER_FAILOVER
                .replace("myself,master - 0", "master - 0")
                .replace("slave b2", "myself,slave b2")
                .replace("slave,fail? c3", "slave c3");

        assertThat(ClusterTopology.parse(seenFrom7005).layout()).isEqualTo(ClusterTopology.parse(AFTER_FAILOVER).layout());
        assertThat(ClusterTopology.parse(AFTER_FAILOVER).layout()).isEqualTo("7001 master (no slots); 7002 master 5461-10922; "
                + "7003 master 10923-16383; 7004 master 0-5460; 7005 replica of 7002; 7006 replica of 7003");
    }
}

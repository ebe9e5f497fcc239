package dev.gridstate.testkit;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of Redis the testkit starts, each with its bundled configuration: the two the gateway
 * talks to, and the node of a Redis Cluster.
 */
enum RedisRole {

    /** Volatile: comes back empty after a restart. */
    REGIONAL("infra/redis/regional.conf", List.of("--save", "")),
    /** Durable: replays its append-only file after a restart. */
    CENTRAL("infra/redis/central.conf", List.of()),
    /** A node of a {@link RedisCluster}: cluster mode, volatile; its nodes.conf survives a restart. */
    CLUSTER_NODE("infra/redis/cluster.conf", List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--appendonly", "no", "--save", ""));

    private final String confResource;
    private final List<String> extraArgs;

    RedisRole(String confResource, List<String> extraArgs) {
        this.confResource = confResource;
        this.extraArgs = extraArgs;
    }

    String confResource() {
        return confResource;
    }

    String confFileName() {
        return confResource.substring(confResource.lastIndexOf('/') + 1);
    }

    /** Arguments after the port, dir and bind, repeating what the role must never lose. */
    List<String> extraArgs() {
        return extraArgs;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

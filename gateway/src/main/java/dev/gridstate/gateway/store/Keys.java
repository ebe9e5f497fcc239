package dev.gridstate.gateway.store;

import dev.gridstate.gateway.GatewayConfig;
import jakarta.inject.Singleton;

/**
 * Every Redis key of a region, in one place. Each key carries the region as a Redis Cluster
 * hash tag ({@code {eu-west}:node:n1}) so a region's keys share one slot and the same layout
 * works on the regional Redis and on central.
 *
 * <p>Parts that go into keys (node ids, model names and versions, label keys and values) are
 * validated at the edge to hold no whitespace, so keys can be listed space-separated inside
 * the node record.
 */
@Singleton
public final class Keys {

    private final String region;
    private final String prefix;

    public Keys(GatewayConfig config) {
        this(config.region());
    }

    public Keys(String region) {
        this.region = region;
        this.prefix = "{" + region + "}:";
    }

    public String region() {
        return region;
    }

    /** Hash: the node's record (spec, runtime state, the index keys it is a member of). */
    public String node(String nodeId) {
        return nodePrefix() + nodeId;
    }

    public String nodePrefix() {
        return prefix + "node:";
    }

    /** Sorted set: node id scored by its heartbeat deadline (epoch ms, Redis server time). */
    public String online() {
        return prefix + "online";
    }

    /** Sorted set: every online node scored by free GPU memory (MB). */
    public String freeMemory() {
        return prefix + "free";
    }

    /** Sorted set: online nodes serving a model (any version), scored by free memory. */
    public String model(String name) {
        return prefix + "model:" + name;
    }

    /** Sorted set: online nodes serving one version of a model, scored by free memory. */
    public String modelVersion(String name, String version) {
        return prefix + "modelv:" + name + "@" + version;
    }

    /** Set: online nodes carrying a label. */
    public String label(String key, String value) {
        return prefix + "label:" + key + "=" + value;
    }
}

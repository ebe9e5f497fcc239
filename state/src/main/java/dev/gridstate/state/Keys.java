package dev.gridstate.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Redis key of a region, in one place. Each key carries the region as a Redis Cluster
 * hash tag ({@code {eu-west}:node:n1}) so a region's keys share one slot and the same layout
 * works on the regional Redis and on central.
 *
 * <p>Parts that go into keys (node ids, model names and versions, label keys and values) are
 * validated at the edge to hold no whitespace, so keys can be listed space-separated inside
 * the node record.
 */
public final class Keys {

    // The parts after the region's tag. Lua scripts get them through luaHeader(), so a key's
    // name is written here and nowhere else.
    /** Every kind of admin flag, as it appears in flag keys; {@code flags.FlagKind} names the same. */
    public static final List<String> FLAG_KINDS = List.of("pause", "cooldown", "maintenance", "freeze", "shadow-ban", "quarantine");
    /** The one flag a node is never told about, nor anyone who could pass it on. */
    public static final String HIDDEN_FLAG_KIND = "shadow-ban";

    static final String NODE = "node:";
    static final String ONLINE = "online";
    static final String FREE = "free";
    static final String MODEL = "model:";
    static final String MODEL_VERSION = "modelv:";
    static final String LABEL = "label:";
    static final String READY = "ready:";
    static final String READY_VERSION = "readyv:";
    static final String FLAG = "flag:";
    static final String DISCONNECTED = "disc:";
    static final String CLAIM = "claim:";
    static final String NOTICE = "notice:";
    static final String NOTICES = "notices";
    static final String SUBCLOUD = "subcloud:";
    static final String SUBCLOUDS = "subclouds";
    static final String CLIENT_SUBCLOUDS = "client-subclouds:";
    static final String EVENTS = "events";
    static final String SUBCLOUD_CHANGES = "subcloud-changes";
    static final String JOB = "job:";
    static final String DEAD_JOBS = "jobs:dead";
    static final String JOB_MODELS = "jobs:models";
    static final String JOBS_CHANNEL = "jobs";
    static final String INBOX = "inbox:";
    static final String NODE_FAILURES = "nfail:";
    static final String CLOCK = "clock";
    static final String EPOCH = "epoch";
    /** Replication's own bookkeeping, never replicated itself. */
    static final String REPLICATION = "repl:";
    static final String VERSIONS = REPLICATION + "versions";
    static final String APPLIED = REPLICATION + "applied";
    static final String RESYNC_SEEN = REPLICATION + "seen:";
    static final String FAILBACK = REPLICATION + "failback";

    private final String region;
    private final String prefix;

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
        return prefix + NODE;
    }

    /** Sorted set: node id scored by its heartbeat deadline (epoch ms, Redis server time). */
    public String online() {
        return prefix + ONLINE;
    }

    /** Sorted set: every online node scored by free GPU memory (MB). */
    public String freeMemory() {
        return prefix + FREE;
    }

    /** Sorted set: online nodes serving a model (any version), scored by free memory. */
    public String model(String name) {
        return prefix + MODEL + name;
    }

    /** Sorted set: online nodes serving one version of a model, scored by free memory. */
    public String modelVersion(String name, String version) {
        return prefix + MODEL_VERSION + name + "@" + version;
    }

    /** Set: online nodes carrying a label. */
    public String label(String key, String value) {
        return prefix + LABEL + key + "=" + value;
    }

    /** Sorted set: idle, routable nodes serving a model (any version), scored by free memory. */
    public String ready(String model) {
        return prefix + READY + model;
    }

    /** Sorted set: idle, routable nodes serving one version of a model, scored by free memory. */
    public String readyVersion(String model, String version) {
        return prefix + READY_VERSION + model + "@" + version;
    }

    /** String with TTL: an admin flag ({@code pause, cooldown, maintenance, freeze, shadow-ban}) on a node, JSON. */
    public String flag(String nodeId, String kind) {
        return flagPrefix() + nodeId + ":" + kind;
    }

    public String flagPrefix() {
        return prefix + FLAG;
    }

    /** String with TTL: a node-reported temporary disconnection. */
    public String disconnected(String nodeId) {
        return disconnectedPrefix() + nodeId;
    }

    public String disconnectedPrefix() {
        return prefix + DISCONNECTED;
    }

    /** Hash with TTL (the lease): one claim of one node. */
    public String claim(String claimId) {
        return claimPrefix() + claimId;
    }

    public String claimPrefix() {
        return prefix + CLAIM;
    }

    /**
     * Hash with TTL: one job's status (state, attempt, node, lease, result), kept for the
     * status TTL after its last change; replicated like nodes and flags.
     */
    public String job(String jobId) {
        return jobPrefix() + jobId;
    }

    public String jobPrefix() {
        return prefix + JOB;
    }

    /** Sorted set: ids of dead-lettered jobs, scored by when they died (ids whose record expired are pruned on read). */
    public String deadJobs() {
        return prefix + DEAD_JOBS;
    }

    /** Set: the models jobs were submitted for, so every replica consumes their queues. */
    public String jobModels() {
        return prefix + JOB_MODELS;
    }

    /** Pub/sub channel: {@code work <nodeId>} when a node has a new assignment, {@code done <jobId>} when an attempt ended. */
    public String jobsChannel() {
        return prefix + JOBS_CHANNEL;
    }

    /** List with TTL: assignments handed to a node and not yet fetched by it, JSON. */
    public String inbox(String nodeId) {
        return prefix + INBOX + nodeId;
    }

    /** Sorted set with TTL: a node's recent job failures, scored by time, for quarantine. */
    public String nodeFailures(String nodeId) {
        return prefix + NODE_FAILURES + nodeId;
    }

    /** String with TTL: a region-wide maintenance notice, JSON. */
    public String notice(String id) {
        return prefix + NOTICE + id;
    }

    /** Set: ids of the notices (members whose key expired are pruned on read). */
    public String notices() {
        return prefix + NOTICES;
    }

    /** Hash: one Subcloud definition (JSON) and its version. */
    public String subcloud(String id) {
        return prefix + SUBCLOUD + id;
    }

    /** Set: every Subcloud id of the region. */
    public String subclouds() {
        return prefix + SUBCLOUDS;
    }

    /** Set: the Subcloud ids a client may use. */
    public String clientSubclouds(String client) {
        return clientSubcloudsPrefix() + client;
    }

    public String clientSubcloudsPrefix() {
        return prefix + CLIENT_SUBCLOUDS;
    }

    /** Pub/sub channel: node changes (online, offline, state, flags), JSON, published by the scripts. */
    public String events() {
        return prefix + EVENTS;
    }

    /** Pub/sub channel: ids of Subclouds that changed, so every replica drops its cached copy. */
    public String subcloudChanges() {
        return prefix + SUBCLOUD_CHANGES;
    }

    /**
     * String: the region's hybrid logical clock, in microseconds. Every change-log export takes
     * the next tick ({@code max(last + 1, Redis TIME)}), so versions only grow, also across a
     * flush of the regional Redis, and also on central, where the replicator keeps it at least
     * the newest version it applied.
     */
    public String clock() {
        return prefix + CLOCK;
    }

    /**
     * String: present while this Redis holds the region's state. A regional Redis that lost it
     * (a restart, FLUSHALL) is told by the marker's absence, and is refilled from central.
     */
    public String epoch() {
        return prefix + EPOCH;
    }

    /** Hash, on central: entity key to the version central holds of it (deletions included). */
    public String versions() {
        return prefix + VERSIONS;
    }

    /** Hash, on central: the newest version applied, when, and the change time it carried. */
    public String applied() {
        return prefix + APPLIED;
    }

    /** Set, on central: the entities one resync has shown so far. */
    public String resyncSeen(String resyncId) {
        return prefix + RESYNC_SEEN + resyncId;
    }

    /**
     * Sorted set, on central: the entities gateways wrote on central while the regional Redis
     * was out, scored by the version they were written at. The way back copies them to the
     * regional Redis before the gateways use it again.
     */
    public String failback() {
        return prefix + FAILBACK;
    }

    /** The prefix of every key of the region: {@code {eu-west}:}. */
    public String prefix() {
        return prefix;
    }

    /**
     * Lua that defines {@code K}, the key parts above by name, and {@code FLAG_KINDS}; scripts
     * build a key as {@code tag .. K.flag .. id}, where {@code tag} ({@code {eu-west}:}) comes
     * from a key they were given.
     */
    public static String luaHeader() {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("node", NODE);
        parts.put("online", ONLINE);
        parts.put("ready", READY);
        parts.put("readyv", READY_VERSION);
        parts.put("flag", FLAG);
        parts.put("disc", DISCONNECTED);
        parts.put("claim", CLAIM);
        parts.put("notice", NOTICE);
        parts.put("events", EVENTS);
        parts.put("subcloud", SUBCLOUD);
        parts.put("subclouds", SUBCLOUDS);
        parts.put("csub", CLIENT_SUBCLOUDS);
        parts.put("subcloud_changes", SUBCLOUD_CHANGES);
        parts.put("seen", RESYNC_SEEN);
        parts.put("job", JOB);
        parts.put("dead_jobs", DEAD_JOBS);
        parts.put("jobs", JOBS_CHANNEL);
        parts.put("inbox", INBOX);
        parts.put("nfail", NODE_FAILURES);
        parts.put("clock", CLOCK);
        parts.put("epoch", EPOCH);
        parts.put("versions", VERSIONS);
        parts.put("failback", FAILBACK);
        StringBuilder lua = new StringBuilder("local K = {");
        parts.forEach((name, part) -> lua.append(name).append(" = '").append(part).append("', "));
        lua.append("}\nlocal FLAG_KINDS = {");
        FLAG_KINDS.forEach(kind -> lua.append("'").append(kind).append("', "));
        return lua.append("}\nlocal HIDDEN_FLAG = '").append(HIDDEN_FLAG_KIND).append("'\n").toString();
    }
}

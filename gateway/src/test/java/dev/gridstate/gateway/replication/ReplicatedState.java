package dev.gridstate.gateway.replication;

import dev.gridstate.state.Keys;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The keys of one region that replication is responsible for, with their values (not their
 * TTLs): node records, liveness, every index and readiness queue, flags, disconnections and
 * Subclouds. Left out: claims and the record's claim field (leases of the region's routers),
 * notices, and replication's own bookkeeping (clock, epoch marker, versions).
 */
final class ReplicatedState {

    private ReplicatedState() {
    }

    static Map<String, String> of(RedisServer server, String region) {
        Keys keys = new Keys(region);
        RedisCommands<String, String> redis = server.commands();
        Map<String, String> state = new TreeMap<>();
        for (String key : redis.keys(keys.prefix() + "*")) {
            String part = key.substring(keys.prefix().length());
            if (part.equals("clock") || part.equals("epoch") || part.startsWith("repl:") || part.startsWith("claim:")
                    || part.startsWith("notice")) {
                continue;
            }
            String value = switch (redis.type(key)) {
                case "hash" -> {
                    Map<String, String> hash = new TreeMap<>(redis.hgetall(key));
                    hash.remove("claim");
                    yield hash.toString();
                }
                case "zset" -> redis.zrangeWithScores(key, 0, -1).toString();
                case "set" -> new TreeSet<>(redis.smembers(key)).toString();
                case "string" -> redis.get(key);
                case "none" -> null;
                default -> throw new IllegalStateException(key + " is a " + redis.type(key));
            };
            if (value != null) {
                state.put(key, value);
            }
        }
        return state;
    }

    /** Node ids with a record. */
    static Set<String> nodes(RedisServer server, String region) {
        Keys keys = new Keys(region);
        Set<String> ids = new TreeSet<>();
        for (String key : server.commands().keys(keys.nodePrefix() + "*")) {
            ids.add(key.substring(keys.nodePrefix().length()));
        }
        return ids;
    }

    /** {@code <node>:<kind>} of every flag set. */
    static Set<String> flags(RedisServer server, String region) {
        Keys keys = new Keys(region);
        Set<String> flags = new TreeSet<>();
        for (String key : server.commands().keys(keys.flagPrefix() + "*")) {
            flags.add(key.substring(keys.flagPrefix().length()));
        }
        return flags;
    }

    /** Ids of the Subclouds defined (not deleted). */
    static Set<String> subclouds(RedisServer server, String region) {
        return new TreeSet<>(server.commands().smembers(new Keys(region).subclouds()));
    }
}

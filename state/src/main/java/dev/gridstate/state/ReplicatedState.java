package dev.gridstate.state;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What replication keeps equal between a region and central: every key of the region with its
 * value (not its TTL). Left out are the keys replication does not carry, claims and notices,
 * the job machinery around job records (node inboxes, failure windows, the models set),
 * the node record's claim field, and its own bookkeeping: clock, epoch marker, versions.
 * Two Redis servers agree on a region when their maps are equal; reads every key of the region
 * (KEYS), so it is for checks and tests, not for a busy production Redis.
 */
public final class ReplicatedState {

    private ReplicatedState() {
    }

    public static Map<String, String> of(RedisClusterCommands<String, String> redis, Keys keys) {
        Map<String, String> state = new TreeMap<>();
        for (String key : redis.keys(keys.prefix() + "*")) {
            String part = key.substring(keys.prefix().length());
            if (key.equals(keys.clock()) || key.equals(keys.epoch()) || part.startsWith(Keys.REPLICATION)
                    || key.startsWith(keys.claimPrefix()) || part.startsWith(Keys.NOTICE) || part.equals(Keys.NOTICES)
                    || part.startsWith(Keys.INBOX) || part.startsWith(Keys.NODE_FAILURES) || part.equals(Keys.JOB_MODELS)) {
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
                case "none" -> null; // expired or deleted between KEYS and the read
                default -> throw new IllegalStateException(key + " is a " + redis.type(key) + ", which no region key is");
            };
            if (value != null) {
                state.put(key, value);
            }
        }
        return state;
    }
}

package dev.gridstate.chaos;

import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.Keys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Central against a region, key by key, over the region's entities: every node, flag, Subcloud
 * and job the region holds is on central and nothing else is; flags and Subclouds are equal
 * whole, jobs in their state. Node records are compared by presence: heartbeats change them
 * every few seconds and reach central within the change log's window, so their fields are
 * always a little behind.
 */
final class CentralCompare {

    /** What differs, key by key (empty when equal), and how many keys were compared. */
    record Result(int compared, Map<String, String> differences) {
    }

    private CentralCompare() {
    }

    /**
     * Compares until equal, every 500 ms for at most {@code within} (the change log is
     * asynchronous): the last comparison. One connection to each Redis for all of them.
     */
    static Result untilEqual(String region, String regionalUri, String centralUri, Duration within)
            throws InterruptedException {
        Keys keys = new Keys(region);
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> regional = client.connect(uri(regionalUri));
             StatefulRedisConnection<String, String> central = client.connect(uri(centralUri))) {
            long deadline = System.nanoTime() + within.toNanos();
            Result result = compare(regional.sync(), central.sync(), keys);
            while (!result.differences().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                result = compare(regional.sync(), central.sync(), keys);
            }
            return result;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static Result compare(RedisCommands<String, String> regional, RedisCommands<String, String> central,
                                  Keys keys) {
        Map<String, String> here = view(regional, keys);
        Map<String, String> there = view(central, keys);
        Map<String, String> differences = new TreeMap<>();
        TreeSet<String> all = new TreeSet<>(here.keySet());
        all.addAll(there.keySet());
        for (String key : all) {
            String a = here.get(key);
            String b = there.get(key);
            if (!Objects.equals(a, b)) {
                differences.put(key, "region " + (a == null ? "(none)" : a) + ", central " + (b == null ? "(none)" : b));
            }
        }
        return new Result(all.size(), differences);
    }

    private static RedisURI uri(String uri) {
        RedisURI parsed = RedisURI.create(uri);
        parsed.setTimeout(Duration.ofSeconds(5));
        return parsed;
    }

    /** Each entity key of the region with what is compared of it. */
    private static Map<String, String> view(RedisCommands<String, String> redis, Keys keys) {
        Map<String, String> out = new TreeMap<>();
        ChangeLog.scanEntities(redis, keys, 500, page -> {
            for (String key : page) {
                out.put(key, compared(redis, keys, key));
            }
        });
        out.values().removeIf(Objects::isNull);
        return out;
    }

    private static String compared(RedisCommands<String, String> redis, Keys keys, String key) {
        if (key.startsWith(keys.nodePrefix())) {
            return redis.exists(key) == 1 ? "present" : null;
        }
        if (key.startsWith(keys.jobPrefix())) {
            return redis.hget(key, "state");
        }
        String type = redis.type(key);
        return switch (type) {
            case "string" -> redis.get(key);
            case "hash" -> new TreeMap<>(redis.hgetall(key)).toString();
            case "none" -> null;
            default -> type;
        };
    }
}

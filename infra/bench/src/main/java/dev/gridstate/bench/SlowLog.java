package dev.gridstate.bench;

import dev.gridstate.testkit.RedisServer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What held a Redis for a millisecond or more during a phase, from its SLOWLOG, by command (a
 * script by its name, from the gateway jar's scripts): the usual cause of a p99 far above the p50
 * on a single-threaded Redis.
 */
final class SlowLog {

    static final long THRESHOLD_US = 1000;

    private final RedisServer redis;
    private final Map<String, String> scriptNames;

    SlowLog(RedisServer redis, Path gatewayJar) {
        this.redis = redis;
        this.scriptNames = GatewayScripts.namesBySha(gatewayJar);
        redis.commands().configSet("slowlog-log-slower-than", String.valueOf(THRESHOLD_US));
        redis.commands().configSet("slowlog-max-len", "1024");
        redis.commands().slowlogReset();
    }

    /** Slow commands since the last call, by name: count, total and longest (ms). Resets the log. */
    Map<String, Map<String, Number>> drain() {
        List<Object> entries = redis.commands().slowlogGet(1024);
        redis.commands().slowlogReset();
        Map<String, Map<String, Number>> byCommand = new TreeMap<>();
        for (Object e : entries) {
            List<?> entry = (List<?>) e;
            long micros = ((Number) entry.get(2)).longValue();
            List<?> args = (List<?>) entry.get(3);
            String command = String.valueOf(args.get(0)).toUpperCase();
            if ((command.equals("EVALSHA") || command.equals("EVAL")) && args.size() > 1) {
                String sha = String.valueOf(args.get(1));
                command = "script " + scriptNames.getOrDefault(sha, sha.length() > 12 ? sha.substring(0, 12) : sha);
            }
            Map<String, Number> figures = byCommand.computeIfAbsent(command, c -> new LinkedHashMap<>(
                    Map.of("count", 0L, "totalMs", 0.0, "maxMs", 0.0)));
            figures.put("count", figures.get("count").longValue() + 1);
            figures.put("totalMs", figures.get("totalMs").doubleValue() + micros / 1000.0);
            figures.put("maxMs", Math.max(figures.get("maxMs").doubleValue(), micros / 1000.0));
        }
        return byCommand;
    }

    /** The three commands that held Redis longest in all: {@code script export ×12 (max 4.1 ms), …}, or "none". */
    static String describe(Map<String, Map<String, Number>> slow) {
        if (slow.isEmpty()) {
            return "none";
        }
        return slow.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue().get("totalMs").doubleValue(), a.getValue().get("totalMs").doubleValue()))
                .limit(3)
                .map(e -> e.getKey() + " ×" + e.getValue().get("count")
                        + String.format(" (max %.1f ms)", e.getValue().get("maxMs").doubleValue()))
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }
}

package dev.gridstate.bench;

import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a Redis's time goes, by call: every command and script it ran for a short spell, from the
 * slow log with its threshold at 0 (a script by its name, from the gateway jar; the calls a script
 * makes are logged too, and left out here, since the script's time holds theirs). Durations are as
 * Redis times them, wall time inside the call: a Redis taken off the CPU mid-call counts that too,
 * and logging every call inflates a script by its number of calls; hence shares, not times.
 *
 * @param totalUs per command or script, the time it held Redis in the spell (µs)
 * @param calls   per command or script, how often it ran
 * @param spell   how long the log recorded
 * @param full    the log filled before the spell ended: it holds less than the spell
 */
record RedisTimeSample(Map<String, Long> totalUs, Map<String, Long> calls, Duration spell, boolean full) {

    private static final int LOG_LENGTH = 50_000;
    /** The client a script's own calls are logged under: their time is already in the script's. */
    private static final String SCRIPT_CLIENT = "?:0";

    static RedisTimeSample take(RedisServer redis, Path gatewayJar, Duration spell) {
        Map<String, String> names = GatewayScripts.namesBySha(gatewayJar);
        RedisCommands<String, String> commands = redis.commands();
        String threshold = commands.configGet("slowlog-log-slower-than").get("slowlog-log-slower-than");
        String length = commands.configGet("slowlog-max-len").get("slowlog-max-len");
        try {
            commands.configSet("slowlog-max-len", String.valueOf(LOG_LENGTH));
            commands.slowlogReset();
            commands.configSet("slowlog-log-slower-than", "0");
            Run.pause(spell.toMillis());
            commands.configSet("slowlog-log-slower-than", "-1");
            List<Object> entries = commands.slowlogGet(LOG_LENGTH);
            Map<String, Long> totalUs = new TreeMap<>();
            Map<String, Long> calls = new TreeMap<>();
            for (Object e : entries) {
                List<?> entry = (List<?>) e;
                long micros = ((Number) entry.get(2)).longValue();
                if (entry.size() > 4 && SCRIPT_CLIENT.equals(String.valueOf(entry.get(4)))) {
                    continue;
                }
                List<?> args = (List<?>) entry.get(3);
                String call = String.valueOf(args.get(0)).toUpperCase();
                if ((call.equals("EVALSHA") || call.equals("EVAL")) && args.size() > 1) {
                    String sha = String.valueOf(args.get(1));
                    call = "script " + names.getOrDefault(sha, sha.length() > 12 ? sha.substring(0, 12) : sha);
                }
                totalUs.merge(call, micros, Long::sum);
                calls.merge(call, 1L, Long::sum);
            }
            return new RedisTimeSample(totalUs, calls, spell, entries.size() >= LOG_LENGTH);
        } finally {
            commands.configSet("slowlog-log-slower-than", threshold);
            commands.configSet("slowlog-max-len", length);
            commands.slowlogReset();
        }
    }

    /**
     * The calls with the most time, as {@code name share (calls per event)} for {@code eventsPerSecond}.
     * Shares, not times: with the threshold at 0 Redis logs every call a script makes too, inside the
     * script's own time, which inflates a script by its number of calls.
     */
    String shares(double eventsPerSecond, int top) {
        double total = totalUs.values().stream().mapToLong(Long::longValue).sum();
        double events = eventsPerSecond * spell.toNanos() / 1e9;
        return totalUs.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(top)
                .map(e -> String.format("%s %.0f %% (%.2f calls)", e.getKey(), 100 * e.getValue() / total,
                        calls.get(e.getKey()) / events))
                .reduce((a, b) -> a + ", " + b).orElse("none") + (full ? "; the log filled before the spell ended" : "");
    }
}

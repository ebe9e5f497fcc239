package dev.gridstate.bench;

import io.lettuce.core.api.sync.RedisCommands;

/** One field of a Redis's {@code INFO}. */
final class RedisInfo {

    private RedisInfo() {
    }

    /** {@code field}'s value in {@code INFO section}; fails naming both when it is absent. */
    static String field(RedisCommands<String, String> redis, String section, String field) {
        String prefix = field + ":";
        for (String line : redis.info(section).split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IllegalStateException("no " + field + " in INFO " + section);
    }
}

package dev.gridstate.gateway.replication;

import dev.gridstate.state.Keys;
import dev.gridstate.testkit.RedisServer;

import java.util.Set;
import java.util.TreeSet;

/** What a Redis server holds of a region, in the terms of a workload's model. */
final class RegionContents {

    private RegionContents() {
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

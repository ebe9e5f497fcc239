package dev.gridstate.gateway.registry;

/** A matchmaking query; null fields do not filter. A null state means idle or busy. */
record NodeQuery(String model, String version, NodeState state, long minFreeMemoryMb,
                 String labelKey, String labelValue, int limit) {
}

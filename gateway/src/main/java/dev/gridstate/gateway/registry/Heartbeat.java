package dev.gridstate.gateway.registry;

/** One heartbeat; {@code freeMemoryMb} is null when the node did not report it. */
record Heartbeat(String nodeId, NodeState state, Long freeMemoryMb) {
}

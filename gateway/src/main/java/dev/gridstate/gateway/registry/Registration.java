package dev.gridstate.gateway.registry;

/** A registration request: the node's spec and its state and free memory at this moment. */
record Registration(NodeSpec spec, NodeState state, long freeMemoryMb) {
}

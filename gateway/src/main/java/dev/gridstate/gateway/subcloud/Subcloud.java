package dev.gridstate.gateway.subcloud;

/** A stored Subcloud: its id, its definition, and the version the store gave this definition. */
record Subcloud(String id, long version, Definition definition) {
}

package dev.gridstate.agent;

/** The runtime state a node reports with every heartbeat. */
public enum NodeState {
    IDLE("idle"),
    BUSY("busy"),
    DRAINING("draining");

    private final String wireName;

    NodeState(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name the gateway's JSON uses. */
    public String wireName() {
        return wireName;
    }
}

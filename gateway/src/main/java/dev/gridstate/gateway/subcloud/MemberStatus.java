package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One member of a Subcloud as a client sees it. {@code status} is {@code online} (heart-beating),
 * {@code offline} (known, heartbeat expired) or {@code unknown} (no record: never registered,
 * deregistered, or its record was lost); {@code state} is the last one the node reported, null
 * when unknown; {@code routable} says whether it may be handed new work right now.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record MemberStatus(String nodeId, String status, String state, boolean routable) {

    static MemberStatus of(String nodeId, String state, boolean online, boolean routable) {
        if (state.isEmpty()) {
            return new MemberStatus(nodeId, "unknown", null, false);
        }
        return new MemberStatus(nodeId, online ? "online" : "offline", state, routable);
    }
}

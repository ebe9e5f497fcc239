package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * One member of a Subcloud as a client sees it. {@code status} is {@code online} (heart-beating),
 * {@code offline} (known, heartbeat expired) or {@code unknown} (no record: never registered,
 * deregistered, or its record was lost); {@code state} is the last one the node reported, null
 * when unknown; {@code routable} says whether it may be handed new work right now.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "SubcloudMember")
record MemberStatus(String nodeId,
                    @Schema(allowableValues = {"online", "offline", "unknown"}, requiredMode = RequiredMode.REQUIRED)
                    String status,
                    @Schema(description = "the last state the node reported; null when unknown", nullable = true,
                            requiredMode = RequiredMode.REQUIRED) String state,
                    boolean routable) {

    static MemberStatus of(String nodeId, String state, boolean online, boolean routable) {
        if (state.isEmpty()) {
            return new MemberStatus(nodeId, "unknown", null, false);
        }
        return new MemberStatus(nodeId, online ? "online" : "offline", state, routable);
    }
}

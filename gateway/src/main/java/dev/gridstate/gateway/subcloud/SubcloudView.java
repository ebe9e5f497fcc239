package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * A Subcloud as a client sees it: its members with their live status, in the order the admin
 * listed them. The client list is left out: a client need not learn who else may use it.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Subcloud")
record SubcloudView(String id, String name, long version, List<MemberStatus> members) {

    /** Every Subcloud a client may use, sorted by id. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "ClientSubclouds")
    record ForClient(String client, List<SubcloudView> subclouds, int count) {
    }
}

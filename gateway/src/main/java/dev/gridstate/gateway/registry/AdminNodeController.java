package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.gateway.flags.FlagStore;
import dev.gridstate.gateway.store.StoredJson;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code GET /v1/admin/nodes/{nodeId}}: everything about a node, shadow-bans included. */
@Controller("/v1/admin/nodes/{nodeId}")
@Tag(name = "admin")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class AdminNodeController {

    private final NodeRegistry registry;
    private final FlagStore flags;
    private final JsonMapper json;

    AdminNodeController(NodeRegistry registry, FlagStore flags, JsonMapper json) {
        this.registry = registry;
        this.flags = flags;
        this.json = json;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AdminNode", description = "node is null when only flags are left of it")
    record AdminView(String nodeId, @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) NodeView node,
                     @Schema(description = "every flag set on the node by kind (shadow-bans included), each as a Flag",
                             requiredMode = RequiredMode.REQUIRED) Map<String, JsonNode> flags,
                     boolean routable, long disconnectedMsLeft,
                     @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) String claimId) {
    }

    @Get
    @Operation(operationId = "adminGetNode", summary = "Everything about a node: its record, every flag (shadow-bans "
            + "included), whether it is routable, a disconnection, its claim")
    @ApiResponse(responseCode = "200", description = "the node",
            content = @Content(schema = @Schema(implementation = AdminView.class)))
    @ApiResponse(responseCode = "400", description = "invalid_node_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no record and no flag of the node",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> get(@Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId) {
        String id = Names.nodeId(nodeId);
        return registry.get(id).thenCombine(flags.holds(id), (node, holds) -> {
            if (node.isEmpty() && holds.flags().isEmpty()) {
                return HttpResponse.notFound(ApiException.notFound("node " + id).toError());
            }
            Map<String, JsonNode> flagViews = new LinkedHashMap<>();
            holds.flags().forEach((kind, stored) -> flagViews.put(kind, StoredJson.parse(json, stored)));
            return HttpResponse.ok(new AdminView(id, node.orElse(null), flagViews, holds.routable(),
                    holds.disconnectedMsLeft(), holds.claimId()));
        });
    }

}

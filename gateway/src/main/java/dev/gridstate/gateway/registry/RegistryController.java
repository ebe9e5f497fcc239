package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.gateway.auth.Bearer;
import dev.gridstate.gateway.auth.NodeTokens;
import dev.gridstate.state.Keys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Registration, reading and matchmaking. Every call answers from the store without blocking. */
@Controller("/v1")
@Tag(name = "registry")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class RegistryController {

    private final NodeRegistry registry;
    private final RegistrySettings settings;
    private final Keys keys;
    private final JsonMapper json;
    private final NodeTokens tokens;

    RegistryController(NodeRegistry registry, RegistrySettings settings, Keys keys, JsonMapper json, NodeTokens tokens) {
        this.registry = registry;
        this.tokens = tokens;
        this.settings = settings;
        this.keys = keys;
        this.json = json;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "Registered", description = "The node is online; nodeToken is what it proves itself with")
    record Registered(String nodeId, String region, boolean created, long ttlMs, long intervalMs, String nodeToken) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "NodeList", description = "Online nodes, largest free memory first")
    record Found(List<NodeView> nodes, int count) {
    }

    @Put("/nodes/{nodeId}")
    @Operation(operationId = "registerNode", summary = "Register a node (or replace its record); open to any node",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/RegistrationRequest"))))
    @ApiResponse(responseCode = "201", description = "a new node",
            content = @Content(schema = @Schema(implementation = Registered.class)))
    @ApiResponse(responseCode = "200", description = "the node's record replaced",
            content = @Content(schema = @Schema(implementation = Registered.class)))
    @ApiResponse(responseCode = "400", description = "invalid_node_id, missing_body, malformed_json, missing_field, "
            + "invalid_field", content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<Registered>> register(
            @Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId, @Nullable @Body byte[] body) {
        String id = Names.nodeId(nodeId);
        Registration registration = RegistryRequests.registration(JsonBody.parse(json, body));
        return registry.register(id, registration).thenApply(created -> HttpResponse
                .status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Registered(id, keys.region(), created, ttlMs(), intervalMs(), tokens.issue(id))));
    }

    @Delete("/nodes/{nodeId}")
    @Operation(operationId = "deregisterNode", summary = "Take a node out of the region for good",
            security = @SecurityRequirement(name = Application.NODE_AUTH))
    @ApiResponse(responseCode = "204", description = "deregistered")
    @ApiResponse(responseCode = "400", description = "invalid_node_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    @ApiResponse(responseCode = "404", description = "not_found: no such node",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> deregister(
            @Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId,
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = Names.nodeId(nodeId);
        if (!tokens.verify(id, Bearer.token(authorization))) {
            throw ApiException.unauthorized("deregistering a node needs its token: Authorization: Bearer <nodeToken>");
        }
        return registry.deregister(id).thenApply(found -> found
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiException.notFound("node " + id).toError()));
    }

    @Get("/nodes/{nodeId}")
    @Operation(operationId = "getNode", summary = "A node's record and live status (online or offline)")
    @ApiResponse(responseCode = "200", description = "the node",
            content = @Content(schema = @Schema(implementation = NodeView.class)))
    @ApiResponse(responseCode = "400", description = "invalid_node_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such node",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> get(@Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId) {
        String id = Names.nodeId(nodeId);
        return registry.get(id).thenApply(node -> node
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("node " + id).toError())));
    }

    @Get("/nodes{?params*}")
    @Operation(operationId = "findNodes", summary = "Matchmaking: online nodes by model, state, free memory and label",
            description = "Without state, idle and busy nodes. An unknown query parameter is refused.")
    @Parameter(name = "model", ref = "#/components/parameters/NodeQueryModel")
    @Parameter(name = "version", ref = "#/components/parameters/NodeQueryVersion")
    @Parameter(name = "state", ref = "#/components/parameters/NodeQueryState")
    @Parameter(name = "minFreeMemoryMb", ref = "#/components/parameters/NodeQueryMinFreeMemory")
    @Parameter(name = "label", ref = "#/components/parameters/NodeQueryLabel")
    @Parameter(name = "limit", ref = "#/components/parameters/NodeQueryLimit")
    @ApiResponse(responseCode = "200", description = "the matching nodes",
            content = @Content(schema = @Schema(implementation = Found.class)))
    @ApiResponse(responseCode = "400", description = "invalid_field: a parameter is malformed or unknown",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<Found> find(@Parameter(hidden = true) @QueryValue Map<String, String> params) {
        NodeQuery query = NodeQueries.parse(params);
        return registry.find(query).thenApply(nodes -> new Found(nodes, nodes.size()));
    }

    private long ttlMs() {
        return settings.heartbeatTtl().toMillis();
    }

    private long intervalMs() {
        return settings.heartbeatInterval().toMillis();
    }
}

package dev.gridstate.gateway.flags;

import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.gateway.store.StoredJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** {@code PUT|DELETE /v1/admin/nodes/{nodeId}/flags/{kind}}: the admin suspension triggers. */
@Controller("/v1/admin/nodes/{nodeId}/flags/{kind}")
@Tag(name = "admin")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class FlagController {

    static final long MAX_TTL_MS = Duration.ofDays(30).toMillis();
    private static final Pattern TEXT = Pattern.compile("(?s)[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]{1,1000}");

    private final FlagStore flags;
    private final JsonMapper json;

    FlagController(FlagStore flags, JsonMapper json) {
        this.flags = flags;
        this.json = json;
    }

    @Put
    @Operation(operationId = "setFlag", summary = "Set (or replace) a flag on a node, known or not yet: it leaves "
            + "routing at once", description = "pause and cooldown need ttlMs; maintenance and quarantine may have "
            + "one; freeze and shadow-ban last until lifted, and answer only once they are on central or with the "
            + "broker. A freeze voids the node's claim at once.",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/FlagRequest"))))
    @ApiResponse(responseCode = "200", description = "the flag as stored",
            content = @Content(schema = @Schema(ref = "#/components/schemas/Flag")))
    @ApiResponse(responseCode = "400", description = "invalid_node_id, invalid_field (kind, ttlMs, notice), "
            + "missing_body, malformed_json, missing_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "store_unavailable; or not_durable: a freeze or shadow-ban is set "
            + "in the region but neither central nor the broker took it in time (repeating is safe)",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "seconds",
                    schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<JsonNode>> set(
            @Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId,
            @Schema(ref = "#/components/schemas/FlagKind") @PathVariable String kind,
            @Nullable @Body byte[] body) {
        String id = Names.nodeId(nodeId);
        FlagKind flag = FlagKind.parse(kind);
        JsonBody request = JsonBody.parse(json, body);
        String reason = request.string("reason", TEXT);
        String notice = request.optionalString("notice", TEXT, null);
        if (notice != null && flag != FlagKind.MAINTENANCE) {
            throw ApiException.invalid("notice", "only a maintenance flag carries a notice");
        }
        Long ttlMs = request.optionalNonNegativeLong("ttlMs");
        Duration ttl = ttl(flag, ttlMs);
        return flags.set(id, flag, reason, notice, ttl).thenApply(stored -> HttpResponse.ok(StoredJson.parse(json, stored)));
    }

    @Delete
    @Operation(operationId = "liftFlag", summary = "Lift a flag; the node is routable again if nothing else holds it")
    @ApiResponse(responseCode = "204", description = "lifted")
    @ApiResponse(responseCode = "400", description = "invalid_node_id, invalid_field (kind)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such flag on the node",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> lift(@Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId,
                                          @Schema(ref = "#/components/schemas/FlagKind") @PathVariable String kind) {
        String id = Names.nodeId(nodeId);
        FlagKind flag = FlagKind.parse(kind);
        return flags.lift(id, flag).thenApply(lifted -> lifted
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiException.notFound(flag.wire() + " flag on node " + id).toError()));
    }

    private static Duration ttl(FlagKind flag, Long ttlMs) {
        switch (flag.lifetime()) {
            case TTL_REQUIRED -> {
                if (ttlMs == null) {
                    throw ApiException.missing("ttlMs");
                }
            }
            case UNTIL_LIFTED -> {
                if (ttlMs != null) {
                    throw ApiException.invalid("ttlMs", "a " + flag.wire() + " flag lasts until lifted and takes no ttlMs");
                }
                return null;
            }
            case TTL_OPTIONAL -> {
                if (ttlMs == null) {
                    return null;
                }
            }
        }
        if (ttlMs < 1 || ttlMs > MAX_TTL_MS) {
            throw ApiException.invalid("ttlMs", "ttlMs must be between 1 and " + MAX_TTL_MS + ", but was " + ttlMs);
        }
        return Duration.ofMillis(ttlMs);
    }

}

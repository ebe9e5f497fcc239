package dev.gridstate.gateway.routing;

import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** Routers claim an idle node for a job, renew the lease while they use it, and release it. */
@Controller("/v1/claims")
@Tag(name = "routing")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class ClaimController {

    private static final Pattern CLAIM_ID = Pattern.compile("[0-9a-f-]{36}");

    private final Claims claims;
    private final JsonMapper json;

    ClaimController(Claims claims, JsonMapper json) {
        this.claims = claims;
        this.json = json;
    }

    @Serdeable
    @Schema(name = "ClaimRenewed")
    record Renewed(String claimId, long expiresAt) {
    }

    @Post
    @Operation(operationId = "claim", summary = "Claim the ready node with the most free memory for a model",
            description = "A ready node is online, idle, unflagged, connected and unclaimed. The claim lasts leaseMs "
                    + "unless renewed.", requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/ClaimRequest"))))
    @ApiResponse(responseCode = "201", description = "the node is claimed",
            content = @Content(schema = @Schema(implementation = Claims.Claim.class)))
    @ApiResponse(responseCode = "400", description = "missing_body, malformed_json, missing_field, invalid_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no_eligible_node: no ready node matches (an outcome, not a "
            + "fault)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> claim(@Nullable @Body byte[] body) {
        ClaimRequest request = ClaimRequest.read(JsonBody.parse(json, body));
        return claims.claim(request).thenApply(claim -> claim
                .<HttpResponse<?>>map(c -> HttpResponse.status(HttpStatus.CREATED).body(c))
                .orElseGet(() -> HttpResponse.notFound(new ApiError("no_eligible_node",
                        "no idle, routable node serves " + request.model()
                                + (request.version() == null ? "" : "@" + request.version())
                                + " with at least " + request.minFreeMemoryMb() + " MB free"
                                + (request.labelKey() == null ? "" : " and label " + request.labelKey() + ":" + request.labelValue()),
                        null))));
    }

    @Post("/{claimId}/renew")
    @Operation(operationId = "renewClaim", summary = "Extend a claim's lease (the body is optional)",
            requestBody = @RequestBody(required = false,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/LeaseRequest"))))
    @ApiResponse(responseCode = "200", description = "the new expiry",
            content = @Content(schema = @Schema(implementation = Renewed.class)))
    @ApiResponse(responseCode = "400", description = "invalid_field (claimId, leaseMs), malformed_json",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: the claim is void (lease ran out, released, node "
            + "frozen)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> renew(@Schema(ref = "#/components/schemas/ClaimId") @PathVariable String claimId,
                                           @Nullable @Body byte[] body) {
        String id = claimId(claimId);
        JsonBody request = body == null || body.length == 0 ? null : JsonBody.parse(json, body);
        return claims.renew(id, request == null ? ClaimRequest.DEFAULT_LEASE : ClaimRequest.lease(request))
                .thenApply(expires -> expires
                        .<HttpResponse<?>>map(at -> HttpResponse.ok(new Renewed(id, at)))
                        .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("claim " + id).toError())));
    }

    @Delete("/{claimId}")
    @Operation(operationId = "releaseClaim", summary = "Release a claim: the node is back in its queues if it is "
            + "online and idle")
    @ApiResponse(responseCode = "204", description = "released")
    @ApiResponse(responseCode = "400", description = "invalid_field (claimId)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such claim",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> release(
            @Schema(ref = "#/components/schemas/ClaimId") @PathVariable String claimId) {
        String id = claimId(claimId);
        return claims.release(id).thenApply(released -> released
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiException.notFound("claim " + id).toError()));
    }

    private static String claimId(String value) {
        if (!CLAIM_ID.matcher(value).matches()) {
            throw ApiException.invalid("claimId", "claimId must be a UUID as POST /v1/claims answers it");
        }
        return value;
    }
}

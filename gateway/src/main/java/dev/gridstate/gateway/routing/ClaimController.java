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

import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** Routers claim an idle node for a job, renew the lease while they use it, and release it. */
@Controller("/v1/claims")
class ClaimController {

    private static final Pattern CLAIM_ID = Pattern.compile("[0-9a-f-]{36}");

    private final Claims claims;
    private final JsonMapper json;

    ClaimController(Claims claims, JsonMapper json) {
        this.claims = claims;
        this.json = json;
    }

    @Serdeable
    record Renewed(String claimId, long expiresAt) {
    }

    @Post
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
    CompletionStage<HttpResponse<?>> renew(@PathVariable String claimId, @Nullable @Body byte[] body) {
        String id = claimId(claimId);
        JsonBody request = body == null || body.length == 0 ? null : JsonBody.parse(json, body);
        return claims.renew(id, request == null ? ClaimRequest.DEFAULT_LEASE : ClaimRequest.lease(request))
                .thenApply(expires -> expires
                        .<HttpResponse<?>>map(at -> HttpResponse.ok(new Renewed(id, at)))
                        .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("claim " + id).toError())));
    }

    @Delete("/{claimId}")
    CompletionStage<HttpResponse<?>> release(@PathVariable String claimId) {
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

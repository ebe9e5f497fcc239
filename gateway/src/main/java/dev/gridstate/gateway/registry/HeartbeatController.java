package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.gateway.auth.HeartbeatRateLimiter;
import dev.gridstate.gateway.auth.NodeTokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * What nodes say about themselves: heartbeats (one, or a batch for an agent with many GPUs) and
 * temporary disconnections. Each needs the node's token, so no node can speak for another.
 */
@Controller("/v1")
@Tag(name = "registry")
class HeartbeatController {

    static final long MAX_DISCONNECT_MS = Duration.ofHours(1).toMillis();

    private final NodeRegistry registry;
    private final RegistrySettings settings;
    private final NodeTokens tokens;
    private final Directives directives;
    private final JsonMapper json;
    private final HeartbeatRateLimiter limiter;
    private final Semaphore batchesInFlight;

    HeartbeatController(NodeRegistry registry, RegistrySettings settings, NodeTokens tokens, Directives directives,
                        JsonMapper json, HeartbeatRateLimiter limiter) {
        this.limiter = limiter;
        this.batchesInFlight = new Semaphore(settings.maxBatchesInFlight());
        this.registry = registry;
        this.settings = settings;
        this.tokens = tokens;
        this.directives = directives;
        this.json = json;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "HeartbeatAnswer", description = "The node is online for ttlMs; beat again within intervalMs")
    record Alive(long ttlMs, long intervalMs,
                 @ArraySchema(schema = @Schema(ref = "#/components/schemas/Directive")) List<JsonNode> directives) {
    }

    @Serdeable
    @Schema(name = "UnknownNode", description = "The store does not know the node (its state was lost, or it was never "
            + "registered here): the agent registers again with its whole record. An ApiError with a directive.")
    record Unknown(@Schema(allowableValues = "unknown_node", requiredMode = RequiredMode.REQUIRED) String error,
                   String message,
                   @Schema(allowableValues = "re-register", requiredMode = RequiredMode.REQUIRED) String directive) {
        static Unknown of(String nodeId) {
            return new Unknown("unknown_node", "node " + nodeId + " is not registered here; send its full record again",
                    "re-register");
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "HeartbeatResult", description = "One entry's answer: status 200 (ttlMs, intervalMs, directives), "
            + "401 (unauthorized), 409 (unknown_node, directive re-register) or 429 (rate_limited)")
    record BatchResult(String nodeId,
                       @Schema(description = "200, 401, 409 or 429", requiredMode = RequiredMode.REQUIRED) int status,
                       @Schema(requiredMode = RequiredMode.NOT_REQUIRED) Long ttlMs,
                       @Schema(requiredMode = RequiredMode.NOT_REQUIRED) Long intervalMs,
                       @ArraySchema(schema = @Schema(ref = "#/components/schemas/Directive"),
                               arraySchema = @Schema(requiredMode = RequiredMode.NOT_REQUIRED)) List<JsonNode> directives,
                       @Schema(requiredMode = RequiredMode.NOT_REQUIRED) String error,
                       @Schema(requiredMode = RequiredMode.NOT_REQUIRED) String directive) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "HeartbeatBatchAnswer", description = "One result per entry, in the order of the request")
    record Batch(List<BatchResult> results) {
    }

    @Post("/nodes/{nodeId}/heartbeat")
    @Operation(operationId = "heartbeat", summary = "A node says it is alive, what it is doing and its free memory",
            description = "The answer carries what the node must know: its visible flags, waiting assignments and "
                    + "region notices. A shadow-banned node's answer is the same as any other's.",
            security = @SecurityRequirement(name = Application.NODE_AUTH),
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/HeartbeatRequest"))))
    @ApiResponse(responseCode = "200", description = "the node is online",
            content = @Content(schema = @Schema(implementation = Alive.class)))
    @ApiResponse(responseCode = "400", description = "invalid_node_id, missing_body, malformed_json, missing_field, "
            + "invalid_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    @ApiResponse(responseCode = "409", description = "unknown_node: register again (directive re-register)",
            content = @Content(schema = @Schema(implementation = Unknown.class)))
    @ApiResponse(responseCode = "429", description = "rate_limited: more heartbeats than gateway.rate-limit allows",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.RETRY_AFTER,
                    description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
    CompletionStage<HttpResponse<?>> heartbeat(@Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId,
                                               @Nullable @Body byte[] body,
                                               @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = Names.nodeId(nodeId);
        Heartbeat hb = RegistryRequests.heartbeat(id, JsonBody.parse(json, body), "");
        tokens.require(id, authorization);
        if (!limiter.tryAcquire(id)) {
            return CompletableFuture.completedFuture(tooMany(id));
        }
        return registry.heartbeat(List.of(hb))
                .thenCompose(beats -> directives.forBeats(beats).thenApply(d -> beats.get(0).known()
                        ? HttpResponse.ok(new Alive(ttlMs(), intervalMs(), d.get(0)))
                        : HttpResponse.status(HttpStatus.CONFLICT).body(Unknown.of(id))));
    }

    @Post("/heartbeats")
    @Operation(operationId = "heartbeatBatch", summary = "Heartbeats of many nodes at once (an agent with many GPUs)",
            description = "No Authorization header: each entry carries its node's token (nodeToken), and an entry "
                    + "without a valid one, or over its node's rate, is answered on its own.",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/HeartbeatBatchRequest"))))
    @ApiResponse(responseCode = "200", description = "one result per entry",
            content = @Content(schema = @Schema(implementation = Batch.class)))
    @ApiResponse(responseCode = "400", description = "missing_body, malformed_json, missing_field, invalid_field: one "
            + "invalid entry refuses the whole batch",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "busy (too many batches in flight on this replica), or "
            + "store_unavailable",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.RETRY_AFTER,
                    description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> heartbeats(@Nullable @Body byte[] body) {
        // Redis runs scripts one at a time: past a few batches in flight, more would only queue
        // there until every one of them times out. Refuse the excess at once, before parsing.
        if (!batchesInFlight.tryAcquire()) {
            return CompletableFuture.completedFuture(HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(new ApiError("busy", "the gateway already runs " + settings.maxBatchesInFlight()
                            + " heartbeat batches; retry shortly", null)));
        }
        CompletionStage<Batch> running;
        try {
            running = batch(RegistryRequests.batch(JsonBody.parse(json, body), settings.maxBatch()));
        } catch (RuntimeException e) {
            batchesInFlight.release();
            throw e;
        }
        return running.<HttpResponse<?>>thenApply(HttpResponse::ok).whenComplete((done, error) -> batchesInFlight.release());
    }

    private CompletionStage<Batch> batch(List<RegistryRequests.BatchEntry> entries) {
        // Each entry is admitted (token good, within its rate), or answered on its own.
        List<Heartbeat> admitted = new ArrayList<>(entries.size());
        List<BatchResult> refused = new ArrayList<>(entries.size());
        for (RegistryRequests.BatchEntry e : entries) {
            String id = e.heartbeat().nodeId();
            if (!tokens.verify(id, e.nodeToken())) {
                refused.add(new BatchResult(id, 401, null, null, null, "unauthorized", null));
            } else if (!limiter.tryAcquire(id)) {
                refused.add(new BatchResult(id, 429, null, null, null, "rate_limited", null));
            } else {
                admitted.add(e.heartbeat());
                refused.add(null);
            }
        }
        CompletionStage<List<NodeRegistry.Beat>> beats = admitted.isEmpty()
                ? CompletableFuture.completedFuture(List.of()) : registry.heartbeat(admitted);
        return beats.thenCompose(b -> directives.forBeats(b).thenApply(d -> {
            List<BatchResult> results = new ArrayList<>(entries.size());
            int next = 0;
            for (int e = 0; e < entries.size(); e++) {
                if (refused.get(e) != null) {
                    results.add(refused.get(e));
                    continue;
                }
                String id = entries.get(e).heartbeat().nodeId();
                int i = next++;
                results.add(b.get(i).known()
                        ? new BatchResult(id, 200, ttlMs(), intervalMs(), d.get(i), null, null)
                        : new BatchResult(id, 409, null, null, null, "unknown_node", "re-register"));
            }
            return new Batch(results);
        }));
    }

    @Post("/nodes/{nodeId}/disconnect")
    @Operation(operationId = "disconnect", summary = "A node will be away for a while: out of routing until its next "
            + "heartbeat or until expectedMs ran out", security = @SecurityRequirement(name = Application.NODE_AUTH),
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/DisconnectRequest"))))
    @ApiResponse(responseCode = "204", description = "out of routing")
    @ApiResponse(responseCode = "400", description = "invalid_node_id, missing_body, malformed_json, missing_field, "
            + "invalid_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    @ApiResponse(responseCode = "409", description = "unknown_node: register again (directive re-register)",
            content = @Content(schema = @Schema(implementation = Unknown.class)))
    @ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
    CompletionStage<HttpResponse<?>> disconnect(
            @Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId,
            @Nullable @Body byte[] body,
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = Names.nodeId(nodeId);
        long expectedMs = RegistryRequests.disconnectMs(JsonBody.parse(json, body), MAX_DISCONNECT_MS);
        tokens.require(id, authorization);
        return registry.disconnect(id, Duration.ofMillis(expectedMs)).thenApply(known -> known
                ? HttpResponse.noContent()
                : HttpResponse.status(HttpStatus.CONFLICT).body(Unknown.of(id)));
    }

    private HttpResponse<?> tooMany(String nodeId) {
        return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(limiter.retryAfterSeconds()))
                .body(new ApiError("rate_limited", "node " + nodeId + " sends heartbeats faster than allowed; retry after "
                        + limiter.retryAfter().toMillis() + " ms", null));
    }


    private long ttlMs() {
        return settings.heartbeatTtl().toMillis();
    }

    private long intervalMs() {
        return settings.heartbeatInterval().toMillis();
    }
}

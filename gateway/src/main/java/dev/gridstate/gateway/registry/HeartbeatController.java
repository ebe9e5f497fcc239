package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
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
    record Alive(long ttlMs, long intervalMs, List<JsonNode> directives) {
    }

    @Serdeable
    record Unknown(String error, String message, String directive) {
        static Unknown of(String nodeId) {
            return new Unknown("unknown_node", "node " + nodeId + " is not registered here; send its full record again",
                    "re-register");
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResult(String nodeId, int status, Long ttlMs, Long intervalMs, List<JsonNode> directives,
                       String error, String directive) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Batch(List<BatchResult> results) {
    }

    @Post("/nodes/{nodeId}/heartbeat")
    CompletionStage<HttpResponse<?>> heartbeat(@PathVariable String nodeId, @Nullable @Body byte[] body,
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
    CompletionStage<HttpResponse<?>> disconnect(@PathVariable String nodeId, @Nullable @Body byte[] body,
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

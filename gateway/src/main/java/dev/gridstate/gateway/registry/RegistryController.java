package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.store.Keys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The node-facing and router-facing registry API. Every call answers from the store without blocking. */
@Controller("/v1")
class RegistryController {

    private final NodeRegistry registry;
    private final RegistrySettings settings;
    private final Keys keys;
    private final JsonMapper json;

    RegistryController(NodeRegistry registry, RegistrySettings settings, Keys keys, JsonMapper json) {
        this.registry = registry;
        this.settings = settings;
        this.keys = keys;
        this.json = json;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Registered(String nodeId, String region, boolean created, long ttlMs, long intervalMs) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Alive(long ttlMs, long intervalMs, List<Object> directives) {
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
    record BatchResult(String nodeId, int status, Long ttlMs, Long intervalMs, List<Object> directives,
                       String error, String directive) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Batch(List<BatchResult> results) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Found(List<NodeView> nodes, int count) {
    }

    @Put("/nodes/{nodeId}")
    CompletionStage<HttpResponse<Registered>> register(@PathVariable String nodeId, @Nullable @Body byte[] body) {
        String id = RegistryRequests.nodeId(nodeId);
        Registration registration = RegistryRequests.registration(JsonBody.parse(json, body));
        return registry.register(id, registration).thenApply(created -> HttpResponse
                .status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Registered(id, keys.region(), created, ttlMs(), intervalMs())));
    }

    @Post("/nodes/{nodeId}/heartbeat")
    CompletionStage<HttpResponse<?>> heartbeat(@PathVariable String nodeId, @Nullable @Body byte[] body) {
        String id = RegistryRequests.nodeId(nodeId);
        Heartbeat hb = RegistryRequests.heartbeat(id, JsonBody.parse(json, body), "");
        return registry.heartbeat(List.of(hb)).thenApply(alive -> alive.get(0)
                ? HttpResponse.ok(new Alive(ttlMs(), intervalMs(), List.of()))
                : HttpResponse.status(HttpStatus.CONFLICT).body(Unknown.of(id)));
    }

    @Post("/heartbeats")
    CompletionStage<Batch> heartbeats(@Nullable @Body byte[] body) {
        List<Heartbeat> beats = RegistryRequests.batch(JsonBody.parse(json, body), settings.maxBatch());
        if (beats.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(new Batch(List.of()));
        }
        return registry.heartbeat(beats).thenApply(alive -> {
            List<BatchResult> results = new ArrayList<>(beats.size());
            for (int i = 0; i < beats.size(); i++) {
                String id = beats.get(i).nodeId();
                results.add(alive.get(i)
                        ? new BatchResult(id, 200, ttlMs(), intervalMs(), List.of(), null, null)
                        : new BatchResult(id, 409, null, null, null, "unknown_node", "re-register"));
            }
            return new Batch(results);
        });
    }

    @Delete("/nodes/{nodeId}")
    CompletionStage<HttpResponse<?>> deregister(@PathVariable String nodeId) {
        String id = RegistryRequests.nodeId(nodeId);
        return registry.deregister(id).thenApply(found -> found
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiException.notFound("node " + id).toError()));
    }

    @Get("/nodes/{nodeId}")
    CompletionStage<HttpResponse<?>> get(@PathVariable String nodeId) {
        String id = RegistryRequests.nodeId(nodeId);
        return registry.get(id).thenApply(node -> node
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("node " + id).toError())));
    }

    @Get("/nodes{?params*}")
    CompletionStage<Found> find(@QueryValue Map<String, String> params) {
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

package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Registration, reading and matchmaking. Every call answers from the store without blocking. */
@Controller("/v1")
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
    record Registered(String nodeId, String region, boolean created, long ttlMs, long intervalMs, String nodeToken) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Found(List<NodeView> nodes, int count) {
    }

    @Put("/nodes/{nodeId}")
    CompletionStage<HttpResponse<Registered>> register(@PathVariable String nodeId, @Nullable @Body byte[] body) {
        String id = Names.nodeId(nodeId);
        Registration registration = RegistryRequests.registration(JsonBody.parse(json, body));
        return registry.register(id, registration).thenApply(created -> HttpResponse
                .status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new Registered(id, keys.region(), created, ttlMs(), intervalMs(), tokens.issue(id))));
    }

    @Delete("/nodes/{nodeId}")
    CompletionStage<HttpResponse<?>> deregister(@PathVariable String nodeId,
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
    CompletionStage<HttpResponse<?>> get(@PathVariable String nodeId) {
        String id = Names.nodeId(nodeId);
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

package dev.gridstate.gateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code GET /v1/admin/nodes/{nodeId}}: everything about a node, shadow-bans included. */
@Controller("/v1/admin/nodes/{nodeId}")
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
    record AdminView(String nodeId, NodeView node, Map<String, JsonNode> flags, boolean routable,
                     long disconnectedMsLeft, String claimId) {
    }

    @Get
    CompletionStage<HttpResponse<?>> get(@PathVariable String nodeId) {
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

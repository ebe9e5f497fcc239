package dev.gridstate.gateway.flags;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.gateway.store.StoredJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** {@code PUT|DELETE /v1/admin/nodes/{nodeId}/flags/{kind}}: the admin suspension triggers. */
@Controller("/v1/admin/nodes/{nodeId}/flags/{kind}")
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
    CompletionStage<HttpResponse<JsonNode>> set(@PathVariable String nodeId, @PathVariable String kind,
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
    CompletionStage<HttpResponse<?>> lift(@PathVariable String nodeId, @PathVariable String kind) {
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

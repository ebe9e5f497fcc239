package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Admins define Subclouds. A change drops this replica's cached copy before it answers (so an
 * admin reads its own write here at once) and every other replica's through pub/sub. Reads here
 * go to Redis, past the near cache.
 */
@Controller("/v1/admin/subclouds")
class SubcloudAdminController {

    private final SubcloudStore store;
    private final SubcloudCache cache;
    private final JsonMapper json;

    SubcloudAdminController(SubcloudStore store, SubcloudCache cache, JsonMapper json) {
        this.store = store;
        this.cache = cache;
        this.json = json;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Stored(String id, long version, boolean created) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Defined(String id, long version, String name, List<String> members, List<String> clients) {
    }

    @Put("/{subcloudId}")
    CompletionStage<HttpResponse<Stored>> put(@PathVariable String subcloudId, @Nullable @Body byte[] body) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        Definition definition = SubcloudRequests.definition(JsonBody.parse(json, body));
        return store.put(id, definition).thenApply(put -> {
            cache.invalidate(id);
            return HttpResponse.status(put.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(new Stored(id, put.version(), put.created()));
        });
    }

    @Delete("/{subcloudId}")
    CompletionStage<HttpResponse<?>> delete(@PathVariable String subcloudId) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        return store.delete(id).thenApply(version -> {
            cache.invalidate(id);
            return version.isPresent()
                    ? HttpResponse.noContent()
                    : HttpResponse.notFound(ApiException.notFound("subcloud " + id).toError());
        });
    }

    @Get("/{subcloudId}")
    CompletionStage<HttpResponse<?>> get(@PathVariable String subcloudId) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        return store.load(List.of(id)).thenApply(found -> found.get(id)
                .<HttpResponse<?>>map(s -> HttpResponse.ok(new Defined(id, s.version(), s.definition().name(),
                        s.definition().members(), s.definition().clients())))
                .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("subcloud " + id).toError())));
    }
}

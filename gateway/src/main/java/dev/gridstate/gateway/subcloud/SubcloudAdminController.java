package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Admins define Subclouds. A change drops this replica's cached copy before it answers (so an
 * admin reads its own write here at once) and every other replica's through pub/sub. Reads here
 * go to Redis, past the near cache.
 */
@Controller("/v1/admin/subclouds")
@Tag(name = "subclouds")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
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
    @Schema(name = "SubcloudStored")
    record Stored(String id, long version, boolean created) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "SubcloudDefinition")
    record Defined(String id, long version, String name, List<String> members, List<String> clients) {
    }

    @Put("/{subcloudId}")
    @Operation(operationId = "putSubcloud", summary = "Define (or replace) a Subcloud; answers once it is on central "
            + "or with the broker", requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/SubcloudRequest"))))
    @ApiResponse(responseCode = "201", description = "a new Subcloud",
            content = @Content(schema = @Schema(implementation = Stored.class)))
    @ApiResponse(responseCode = "200", description = "replaced",
            content = @Content(schema = @Schema(implementation = Stored.class)))
    @ApiResponse(responseCode = "400", description = "invalid_subcloud_id, missing_body, malformed_json, "
            + "missing_field, invalid_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "store_unavailable; or not_durable: stored in the region but "
            + "neither central nor the broker took it in time (repeating is safe)",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "seconds",
                    schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<Stored>> put(
            @Schema(ref = "#/components/schemas/SubcloudId") @PathVariable String subcloudId,
            @Nullable @Body byte[] body) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        Definition definition = SubcloudRequests.definition(JsonBody.parse(json, body));
        return store.put(id, definition).thenApply(put -> {
            cache.invalidate(id);
            return HttpResponse.status(put.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(new Stored(id, put.version(), put.created()));
        });
    }

    @Delete("/{subcloudId}")
    @Operation(operationId = "deleteSubcloud", summary = "Delete a Subcloud; answers once it is on central or with "
            + "the broker")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "400", description = "invalid_subcloud_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such Subcloud",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "store_unavailable; or not_durable: deleted in the region but "
            + "neither central nor the broker took it in time (repeating is safe)",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "seconds",
                    schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> delete(
            @Schema(ref = "#/components/schemas/SubcloudId") @PathVariable String subcloudId) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        return store.delete(id).thenApply(version -> {
            cache.invalidate(id);
            return version.isPresent()
                    ? HttpResponse.noContent()
                    : HttpResponse.notFound(ApiException.notFound("subcloud " + id).toError());
        });
    }

    @Get("/{subcloudId}")
    @Operation(operationId = "adminGetSubcloud", summary = "A Subcloud's stored definition, clients included (read "
            + "past the near cache)")
    @ApiResponse(responseCode = "200", description = "the definition",
            content = @Content(schema = @Schema(implementation = Defined.class)))
    @ApiResponse(responseCode = "400", description = "invalid_subcloud_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such Subcloud",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> get(
            @Schema(ref = "#/components/schemas/SubcloudId") @PathVariable String subcloudId) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        return store.load(List.of(id)).thenApply(found -> found.get(id)
                .<HttpResponse<?>>map(s -> HttpResponse.ok(new Defined(id, s.version(), s.definition().name(),
                        s.definition().members(), s.definition().clients())))
                .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("subcloud " + id).toError())));
    }
}

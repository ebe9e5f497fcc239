package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The client-facing Subcloud API. Every answer carries a strong {@code ETag} over its exact body
 * (live member status included, so it changes when a member's status does) and
 * {@code Cache-Control: max-age}; a request whose {@code If-None-Match} names the current tag gets
 * 304 with no body.
 */
@Controller("/v1/subclouds")
@Tag(name = "subclouds")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class SubcloudController {

    private final SubcloudReads reads;
    private final SubcloudSettings settings;
    private final JsonMapper json;

    SubcloudController(SubcloudReads reads, SubcloudSettings settings, JsonMapper json) {
        this.reads = reads;
        this.settings = settings;
        this.json = json;
    }

    @Get("{?params*}")
    @Operation(operationId = "subcloudsForClient", summary = "Every Subcloud a client may use, with live member status",
            description = "client is the only query parameter; any other is refused.")
    @Parameter(name = "client", ref = "#/components/parameters/SubcloudClient")
    @Parameter(name = HttpHeaders.IF_NONE_MATCH, ref = "#/components/parameters/IfNoneMatch")
    @ApiResponse(responseCode = "200", description = "the client's Subclouds, sorted by id",
            headers = {
                    @Header(name = HttpHeaders.ETAG, description = "strong, over the exact body",
                            schema = @Schema(type = "string")),
                    @Header(name = HttpHeaders.CACHE_CONTROL, description = "max-age (gateway.subclouds.max-age)",
                            schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = SubcloudView.ForClient.class)))
    @ApiResponse(responseCode = "304", ref = "#/components/responses/NotModified")
    @ApiResponse(responseCode = "400", description = "missing_field (client), invalid_field (client, or an unknown "
            + "parameter)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> forClient(@Parameter(hidden = true) @QueryValue Map<String, String> params,
                                               @Parameter(hidden = true) HttpRequest<?> request) {
        String client = SubcloudRequests.client(params);
        return reads.forClient(client).thenApply(view -> answer(request, view));
    }

    @Get("/{subcloudId}")
    @Operation(operationId = "getSubcloud", summary = "A Subcloud with its members' live status (not its client list)")
    @Parameter(name = HttpHeaders.IF_NONE_MATCH, ref = "#/components/parameters/IfNoneMatch")
    @ApiResponse(responseCode = "200", description = "the Subcloud",
            headers = {
                    @Header(name = HttpHeaders.ETAG, description = "strong, over the exact body",
                            schema = @Schema(type = "string")),
                    @Header(name = HttpHeaders.CACHE_CONTROL, description = "max-age (gateway.subclouds.max-age)",
                            schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(implementation = SubcloudView.class)))
    @ApiResponse(responseCode = "304", ref = "#/components/responses/NotModified")
    @ApiResponse(responseCode = "400", description = "invalid_subcloud_id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such Subcloud",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> get(
            @Schema(ref = "#/components/schemas/SubcloudId") @PathVariable String subcloudId,
            @Parameter(hidden = true) HttpRequest<?> request) {
        String id = SubcloudRequests.subcloudId(subcloudId);
        return reads.one(id).thenApply(view -> view
                .<HttpResponse<?>>map(v -> answer(request, v))
                .orElseGet(() -> HttpResponse.notFound(ApiException.notFound("subcloud " + id).toError())));
    }

    private HttpResponse<?> answer(HttpRequest<?> request, Object view) {
        byte[] body = write(view);
        String etag = ETags.strong(body);
        MutableHttpResponse<?> response = ETags.matches(request.getHeaders().getAll(HttpHeaders.IF_NONE_MATCH), etag)
                ? HttpResponse.notModified()
                : HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        return response.header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, settings.cacheControl());
    }

    private byte[] write(Object view) {
        try {
            return json.writeValueAsBytes(view);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a Subcloud answer as JSON", e);
        }
    }
}

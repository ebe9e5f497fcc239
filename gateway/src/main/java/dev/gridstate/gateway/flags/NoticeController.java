package dev.gridstate.gateway.flags;

import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** {@code PUT|DELETE /v1/admin/notices/{id}}: region-wide notices every heartbeat answer carries. */
@Controller("/v1/admin/notices/{id}")
@Tag(name = "admin")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class NoticeController {

    private static final Pattern TEXT = Pattern.compile("(?s)[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]{1,2000}");

    private final NoticeBoard board;
    private final JsonMapper json;

    NoticeController(NoticeBoard board, JsonMapper json) {
        this.board = board;
        this.json = json;
    }

    @Put
    @Operation(operationId = "putNotice", summary = "Post (or replace) a region-wide notice; every heartbeat answer "
            + "carries it until it expires",
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/NoticeRequest"))))
    @ApiResponse(responseCode = "200", description = "the notice as stored",
            content = @Content(schema = @Schema(ref = "#/components/schemas/Notice")))
    @ApiResponse(responseCode = "400", description = "invalid_node_id (the id follows node id rules), missing_body, "
            + "malformed_json, missing_field, invalid_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<JsonNode> put(@Schema(ref = "#/components/schemas/NodeId") @PathVariable String id,
                                  @Nullable @Body byte[] body) {
        String noticeId = Names.nodeId(id);
        JsonBody request = JsonBody.parse(json, body);
        String text = request.string("text", TEXT);
        long ttlMs = request.nonNegativeLong("ttlMs");
        if (ttlMs < 1 || ttlMs > FlagController.MAX_TTL_MS) {
            throw ApiException.invalid("ttlMs", "ttlMs must be between 1 and " + FlagController.MAX_TTL_MS + ", but was " + ttlMs);
        }
        return board.put(noticeId, text, Duration.ofMillis(ttlMs));
    }

    @Delete
    @Operation(operationId = "deleteNotice", summary = "Take a notice down")
    @ApiResponse(responseCode = "204", description = "deleted")
    @ApiResponse(responseCode = "400", description = "invalid_node_id (the id follows node id rules)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such notice",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> delete(@Schema(ref = "#/components/schemas/NodeId") @PathVariable String id) {
        String noticeId = Names.nodeId(id);
        return board.delete(noticeId).thenApply(found -> found
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiException.notFound("notice " + noticeId).toError()));
    }
}

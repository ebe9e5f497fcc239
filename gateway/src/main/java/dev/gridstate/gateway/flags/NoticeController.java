package dev.gridstate.gateway.flags;

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

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** {@code PUT|DELETE /v1/admin/notices/{id}}: region-wide notices every heartbeat answer carries. */
@Controller("/v1/admin/notices/{id}")
class NoticeController {

    private static final Pattern TEXT = Pattern.compile("(?s)[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]{1,2000}");

    private final NoticeBoard board;
    private final JsonMapper json;

    NoticeController(NoticeBoard board, JsonMapper json) {
        this.board = board;
        this.json = json;
    }

    @Put
    CompletionStage<JsonNode> put(@PathVariable String id, @Nullable @Body byte[] body) {
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
    CompletionStage<HttpResponse<?>> delete(@PathVariable String id) {
        String noticeId = Names.nodeId(id);
        return board.delete(noticeId).thenApply(found -> found
                ? HttpResponse.noContent()
                : HttpResponse.notFound(ApiException.notFound("notice " + noticeId).toError()));
    }
}

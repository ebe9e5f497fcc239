package dev.gridstate.gateway.subcloud;

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
    CompletionStage<HttpResponse<?>> forClient(@QueryValue Map<String, String> params, HttpRequest<?> request) {
        String client = SubcloudRequests.client(params);
        return reads.forClient(client).thenApply(view -> answer(request, view));
    }

    @Get("/{subcloudId}")
    CompletionStage<HttpResponse<?>> get(@PathVariable String subcloudId, HttpRequest<?> request) {
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

package dev.gridstate.gateway.status;

import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import reactor.core.publisher.Flux;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/admin/status}: one snapshot of what the status page shows; {@code /stream}: the
 * same as Server-Sent Events, one {@code status} event at once and then every
 * {@code gateway.status.interval}. Admin-only (flags, dead jobs and node ids are admin
 * information): {@code AdminAuthFilter} guards the path.
 */
@Controller("/v1/admin/status")
class StatusController {

    private final StatusStream stream;
    private final StatusSettings settings;

    StatusController(StatusStream stream, StatusSettings settings) {
        this.stream = stream;
        this.settings = settings;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    CompletionStage<StatusSnapshot> snapshot(HttpRequest<?> request) {
        refuseParameters(request);
        return stream.current();
    }

    @Get(value = "/stream", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> stream(HttpRequest<?> request) {
        refuseParameters(request);
        Optional<Flux<Event<StatusSnapshot>>> events = stream.open();
        if (events.isEmpty()) {
            long retryAfter = Math.max(1, settings.interval().toSeconds() * 5);
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
                    .body(new ApiError("too_many_subscribers", "this gateway already streams its status to "
                            + settings.maxSubscribers() + " viewers (gateway.status.max-subscribers); retry in "
                            + retryAfter + "s or through another replica", null));
        }
        return HttpResponse.ok(events.get())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                // nginx would otherwise buffer the stream
                .header("X-Accel-Buffering", "no");
    }

    private static void refuseParameters(HttpRequest<?> request) {
        request.getParameters().names().stream().findFirst().ifPresent(name -> {
            throw ApiException.invalid(name, "unknown query parameter " + name + "; the status takes none");
        });
    }
}

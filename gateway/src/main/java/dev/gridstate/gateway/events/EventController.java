package dev.gridstate.gateway.events;

import dev.gridstate.gateway.api.ApiError;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Optional;

/**
 * {@code GET /v1/events}: a Server-Sent Events stream of the region's node changes, as every
 * replica of the region sees them. Read-only and public. Nothing is replayed: a client that
 * reconnects with {@code Last-Event-ID} starts with a {@code resync} event.
 */
@Controller("/v1/events")
class EventController {

    /** Sent by a reconnecting EventSource: the id of the last event it saw. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventHub hub;
    private final EventSettings settings;

    EventController(EventHub hub, EventSettings settings) {
        this.hub = hub;
        this.settings = settings;
    }

    @Get(produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    HttpResponse<?> stream(HttpRequest<?> request) {
        EventFilter filter = EventFilter.parse(request.getParameters());
        Optional<EventFeed> feed = hub.open(filter, request.getHeaders().get(LAST_EVENT_ID));
        if (feed.isEmpty()) {
            long retryAfter = Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000);
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
                    .body(new ApiError("too_many_subscribers", "this gateway already streams events to "
                            + settings.maxSubscribers() + " subscribers (gateway.events.max-subscribers); retry in "
                            + retryAfter + "s or through another replica", null));
        }
        return HttpResponse.ok(feed.get())
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                // nginx would otherwise buffer the stream
                .header("X-Accel-Buffering", "no");
    }
}

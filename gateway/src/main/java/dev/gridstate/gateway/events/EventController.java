package dev.gridstate.gateway.events;

import dev.gridstate.gateway.api.ApiError;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Optional;

/**
 * {@code GET /v1/events}: a Server-Sent Events stream of the region's node changes, as every
 * replica of the region sees them. Read-only and public. Nothing is replayed: a client that
 * reconnects with {@code Last-Event-ID} starts with a {@code resync} event.
 */
@Controller("/v1/events")
@Tag(name = "events")
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
    @Operation(operationId = "events", summary = "A Server-Sent Events stream of the region's node changes",
            description = "Event names: online, offline, state (disconnected true/false included), flags (never "
                    + "shadow-bans), deregistered, and resync (changes may have been missed: after a Redis "
                    + "reconnect, or a reconnect with Last-Event-ID; nothing is replayed). Each event's data is the "
                    + "JSON the state scripts published. A slow reader gets each node's newest state, not a backlog.")
    @Parameter(name = "nodeId", ref = "#/components/parameters/EventNodeId")
    @Parameter(name = "type", ref = "#/components/parameters/EventType")
    @Parameter(name = EventController.LAST_EVENT_ID, ref = "#/components/parameters/LastEventId")
    @ApiResponse(responseCode = "200", description = "the stream, open until the client leaves",
            headers = @Header(name = HttpHeaders.CACHE_CONTROL, description = "no-cache",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string",
                    description = "text/event-stream: event: <type>, id: <id>, data: <JSON>")))
    @ApiResponse(responseCode = "400", description = "invalid_field (an unknown parameter, or a type that is not "
            + "one), invalid_node_id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "too_many_subscribers: past gateway.events.max-subscribers on "
            + "this replica; retry later or through another",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "seconds",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiError.class)))
    HttpResponse<?> stream(@Parameter(hidden = true) HttpRequest<?> request) {
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

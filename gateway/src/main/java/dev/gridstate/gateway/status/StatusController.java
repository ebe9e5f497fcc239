package dev.gridstate.gateway.status;

import dev.gridstate.gateway.Application;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "admin")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
@ApiResponse(responseCode = "400", description = "invalid_field: the status takes no query parameter",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
class StatusController {

    private final StatusStream stream;
    private final StatusSettings settings;

    StatusController(StatusStream stream, StatusSettings settings) {
        this.stream = stream;
        this.settings = settings;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "status", summary = "One snapshot of the region as the status page shows it",
            description = "Breakers, each Redis and RabbitMQ, replication, nodes online by model and state, recent "
                    + "flags and dead jobs. A part that could not be read within gateway.status.part-timeout is "
                    + "null with an error naming why; the rest is still there. Up to one interval old.")
    @ApiResponse(responseCode = "200", description = "the snapshot",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatusSnapshot.class)))
    CompletionStage<StatusSnapshot> snapshot(@Parameter(hidden = true) HttpRequest<?> request) {
        refuseParameters(request);
        return stream.current();
    }

    @Get(value = "/stream", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    @Operation(operationId = "statusStream", summary = "The same snapshots as Server-Sent Events: one at once, then "
            + "one every gateway.status.interval", description = "Event name status; data: the snapshot's JSON. "
            + "All streams of a replica share one snapshot per interval.")
    @ApiResponse(responseCode = "200", description = "the stream, open until the client leaves",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string",
                    description = "text/event-stream: event: status, id: <ms>, data: <snapshot JSON>")))
    @ApiResponse(responseCode = "503", description = "too_many_subscribers: past gateway.status.max-subscribers on "
            + "this replica; retry later or through another",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    HttpResponse<?> stream(@Parameter(hidden = true) HttpRequest<?> request) {
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

package dev.gridstate.gateway.replication;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.state.Keys;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/admin/replication}: how far central trails this region, and a resync on demand.
 */
@Controller("/v1/admin/replication")
@Tag(name = "admin")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
class ReplicationController {

    /** How long the status waits for each Redis; what did not answer is null. */
    private static final Duration CENTRAL_READ = Duration.ofSeconds(1);

    private final ReplicationSettings settings;
    private final ChangeLogStatus changeLog;
    private final Resync resync;
    private final Keys keys;

    ReplicationController(ReplicationSettings settings, ChangeLogStatus changeLog, Resync resync, Keys keys) {
        this.settings = settings;
        this.changeLog = changeLog;
        this.resync = resync;
        this.keys = keys;
    }

    /**
     * Where central stands: the newest version it applied for this region and how far, in time,
     * that is behind the region's clock ({@code centralBehindMs}); null fields are unknown (central
     * or the regional Redis did not answer).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "ReplicationStatus")
    record Status(String region, boolean enabled, boolean brokerConnected, long pendingEntities, long outboxMessages,
                  long droppedMessages,
                  @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) Long lastConfirmedAt,
                  @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) String regionVersion,
                  @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) String centralVersion,
                  @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) Long centralAppliedAt,
                  @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) Long centralBehindMs,
                  @Schema(nullable = true, requiredMode = RequiredMode.REQUIRED) Resync.Result lastResync) {
    }

    @Get
    @Operation(operationId = "replicationStatus", summary = "The change log: broker, pending entities, outbox, "
            + "dropped messages, the region's clock, what central applied and how far behind it is, the last resync",
            description = "Always 200: what could not be read (central, the regional Redis) is null.")
    @ApiResponse(responseCode = "200", description = "the change log's state",
            content = @Content(schema = @Schema(implementation = Status.class)))
    CompletionStage<Status> status() {
        return changeLog.read(CENTRAL_READ).thenApply(v -> new Status(keys.region(), v.enabled(), v.brokerConnected(),
                v.pendingEntities(), v.outboxMessages(), v.droppedMessages(), v.lastConfirmedAt(),
                v.central().regionVersion(), v.central().centralVersion(), v.central().centralAppliedAt(),
                v.central().behindMs(), v.lastResync()));
    }

    /** Pushes the whole region to central now; answers when every page is in the outbox. */
    @Post("/resync")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(operationId = "resync", summary = "Push the whole region to central now; answers once every page is in "
            + "the outbox")
    @ApiResponse(responseCode = "202", description = "the resync is in the outbox",
            content = @Content(schema = @Schema(implementation = Resync.Result.class)))
    @ApiResponse(responseCode = "409", description = "replication_disabled, or resync_running on this replica",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "resync_failed: stopped before it was complete (the regional "
            + "Redis did not answer, the outbox stayed full, or the region is failed over to central); central is "
            + "unchanged by it, ask again",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "seconds",
                    schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    HttpResponse<Resync.Result> resync() throws InterruptedException {
        if (!settings.enabled()) {
            throw new ApiException(HttpStatus.CONFLICT, "replication_disabled",
                    "replication is turned off on this gateway (gateway.replication.enabled=false)", null);
        }
        try {
            return HttpResponse.accepted().body(resync.run());
        } catch (Resync.Busy e) {
            throw new ApiException(HttpStatus.CONFLICT, "resync_running", e.getMessage(), null);
        } catch (RuntimeException e) {
            // The regional Redis did not answer, or the outbox stayed full: nothing was deleted on
            // central, since only a resync's closing message deletes.
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "resync_failed",
                    "the resync stopped before it was complete (" + cause.getMessage() + "); central is unchanged "
                            + "by it, and it can be asked for again", null);
        }
    }
}

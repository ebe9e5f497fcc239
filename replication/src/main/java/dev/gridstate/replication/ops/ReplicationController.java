package dev.gridstate.replication.ops;

import dev.gridstate.replication.RegionStatus;
import dev.gridstate.replication.Replicator;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** {@code GET /v1/replication}: every region this process replicates, with its counts and lag. */
@Controller("/v1/replication")
@Tag(name = "replication")
class ReplicationController {

    private final Replicator replicator;

    ReplicationController(Replicator replicator) {
        this.replicator = replicator;
    }

    @Serdeable
    @Schema(name = "Replication", description = "broker: the connection to RabbitMQ is open")
    record Replication(boolean broker, List<RegionStatus> regions) {
    }

    @Get
    @Operation(operationId = "replication", summary = "Every region this process replicates: counts, the newest "
            + "version central applied, lag")
    @ApiResponse(responseCode = "200", description = "one entry per region",
            content = @Content(schema = @Schema(implementation = Replication.class)))
    Replication get() {
        return new Replication(replicator.broker().isOpen(), replicator.status());
    }
}

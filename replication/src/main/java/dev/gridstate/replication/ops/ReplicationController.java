package dev.gridstate.replication.ops;

import dev.gridstate.replication.RegionStatus;
import dev.gridstate.replication.Replicator;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** {@code GET /v1/replication}: every region this process replicates, with its counts and lag. */
@Controller("/v1/replication")
class ReplicationController {

    private final Replicator replicator;

    ReplicationController(Replicator replicator) {
        this.replicator = replicator;
    }

    @Serdeable
    record Replication(boolean broker, List<RegionStatus> regions) {
    }

    @Get
    Replication get() {
        return new Replication(replicator.broker().isOpen(), replicator.status());
    }
}

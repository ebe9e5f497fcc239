package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.flags.NoticeBoard;
import dev.gridstate.gateway.store.StoredJson;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a heartbeat answer tells its node: the admin flags it may see (each as stored:
 * {@code {"type":"pause","reason":…,"until":…}}), {@code {"type":"assignments"}} while jobs wait
 * for it, then the region's notices.
 */
@Singleton
class Directives {

    private final NoticeBoard notices;
    private final JsonMapper json;

    Directives(NoticeBoard notices, JsonMapper json) {
        this.notices = notices;
        this.json = json;
    }

    /** The directives for each beat, in order; unknown nodes get none. */
    CompletionStage<List<List<JsonNode>>> forBeats(List<NodeRegistry.Beat> beats) {
        return notices.current().thenApply(board -> {
            List<List<JsonNode>> out = new ArrayList<>(beats.size());
            for (NodeRegistry.Beat beat : beats) {
                if (!beat.known()) {
                    out.add(List.of());
                    continue;
                }
                List<JsonNode> directives = new ArrayList<>(beat.stored().size() + board.size());
                beat.stored().forEach(directive -> directives.add(StoredJson.parse(json, directive)));
                directives.addAll(board);
                out.add(directives);
            }
            return out;
        });
    }

}

package dev.gridstate.gateway.subcloud;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Client reads: definitions through this replica's near cache, then the live status of every
 * member of the answer in one script, so an answer costs two Redis round trips at most whatever
 * its size (the client listing adds one for the client's index set).
 */
@Singleton
class SubcloudReads {

    private final SubcloudCache cache;
    private final SubcloudStore store;

    SubcloudReads(SubcloudCache cache, SubcloudStore store) {
        this.cache = cache;
        this.store = store;
    }

    CompletionStage<Optional<SubcloudView>> one(String id) {
        return cache.get(List.of(id)).thenCompose(found -> views(present(List.of(id), found)))
                .thenApply(views -> views.stream().findFirst());
    }

    CompletionStage<SubcloudView.ForClient> forClient(String client) {
        return store.idsFor(client)
                .thenCompose(ids -> cache.get(ids).thenApply(found -> present(ids, found)))
                .thenCompose(this::views)
                .thenApply(views -> new SubcloudView.ForClient(client, views, views.size()));
    }

    /** The Subclouds that exist, in the order of {@code ids}; one deleted since the index was read is left out. */
    private static List<Subcloud> present(List<String> ids, Map<String, Optional<Subcloud>> found) {
        List<Subcloud> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            found.getOrDefault(id, Optional.empty()).ifPresent(out::add);
        }
        return out;
    }

    private CompletionStage<List<SubcloudView>> views(List<Subcloud> subclouds) {
        Set<String> members = new LinkedHashSet<>();
        subclouds.forEach(s -> members.addAll(s.definition().members()));
        return store.statuses(members).thenApply(status -> subclouds.stream()
                .map(s -> new SubcloudView(s.id(), s.definition().name(), s.version(),
                        s.definition().members().stream().map(status::get).toList()))
                .toList());
    }
}

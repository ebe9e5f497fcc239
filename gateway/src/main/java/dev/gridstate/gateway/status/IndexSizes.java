package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The counts every snapshot reads afresh: index sizes, a constant cost per model whatever the region's size. */
@Singleton
class IndexSizes {

    private static final LuaScript COUNTS = LuaScript.load("status-counts");

    /** {@code perModel}: model → [online, ready], in the order asked. */
    record Sizes(Source source, long online, long deadJobs, Map<String, long[]> perModel) {
    }

    private final StateStore store;
    private final Keys keys;

    IndexSizes(StateStore store, Keys keys) {
        this.store = store;
        this.keys = keys;
    }

    CompletionStage<Sizes> read(List<String> models) {
        List<String> k = new ArrayList<>(2 + models.size() * 2);
        k.add(keys.online());
        k.add(keys.deadJobs());
        for (String model : models) {
            k.add(keys.model(model));
            k.add(keys.ready(model));
        }
        return store.<List<Object>>readSourced(COUNTS, ScriptOutputType.MULTI, k.toArray(String[]::new)).thenApply(r -> {
            List<Object> v = r.value();
            Map<String, long[]> perModel = new LinkedHashMap<>();
            for (int i = 0; i < models.size(); i++) {
                perModel.put(models.get(i), new long[]{(Long) v.get(2 + i * 2), (Long) v.get(3 + i * 2)});
            }
            return new Sizes(r.source(), (Long) v.get(0), (Long) v.get(1), perModel);
        });
    }
}

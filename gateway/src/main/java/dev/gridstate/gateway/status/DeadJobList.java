package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The newest dead jobs, through the same script as {@code GET /v1/jobs?state=dead} ({@code jobs-dead.lua},
 * which also prunes ids whose record expired).
 */
@Singleton
class DeadJobList {

    private static final LuaScript DEAD = LuaScript.load("jobs-dead");

    private final StateStore store;
    private final Keys keys;
    private final int limit;

    DeadJobList(StateStore store, Keys keys, StatusSettings settings) {
        this.store = store;
        this.keys = keys;
        this.limit = settings.deadJobs();
    }

    CompletionStage<List<StatusSnapshot.DeadJob>> newest() {
        return store.<List<Object>>read(DEAD, ScriptOutputType.MULTI, new String[]{keys.deadJobs()}, String.valueOf(limit))
                .thenApply(rows -> {
                    List<StatusSnapshot.DeadJob> jobs = new ArrayList<>(rows.size());
                    for (Object row : rows) {
                        jobs.add(job((List<?>) row));
                    }
                    return jobs;
                });
    }

    private static StatusSnapshot.DeadJob job(List<?> fields) {
        Map<String, String> r = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            r.put((String) fields.get(i), (String) fields.get(i + 1));
        }
        // A dead job is not worked on any more: its record's last update is (all but always) when it died.
        return new StatusSnapshot.DeadJob(r.get("jobId"), r.get("model"), number(r.get("attempt")),
                number(r.get("maxAttempts")), r.get("reason"), number(r.get("updatedAt")));
    }

    private static Long number(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package dev.gridstate.gateway.jobs;

import dev.gridstate.gateway.replication.ChangeTracker;
import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.Sourced;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The job scripts, through the state store (so they fail over to central like every other
 * state call), with every record they change marked for the change log.
 */
@Singleton
class JobStore {

    private static final LuaScript SUBMIT = LuaScript.load("job-submit");
    private static final LuaScript PUBLISHED = LuaScript.load("job-published");
    private static final LuaScript ABANDON = LuaScript.load("job-abandon");
    private static final LuaScript DISPATCH = LuaScript.load("job-dispatch");
    private static final LuaScript DELIVER = LuaScript.load("job-deliver");
    private static final LuaScript POLL = LuaScript.load("job-poll");
    private static final LuaScript LEASE = LuaScript.load("job-lease");
    private static final LuaScript RESULT = LuaScript.load("job-result");
    private static final LuaScript FAILURE = LuaScript.load("job-failure");
    private static final LuaScript EXPIRE = LuaScript.load("job-expire");
    private static final LuaScript STATES = LuaScript.load("job-states");
    private static final LuaScript RESTORE = LuaScript.load("job-restore");
    private static final LuaScript FILL = LuaScript.load("job-fill");
    private static final LuaScript GET = LuaScript.load("job-get");
    private static final LuaScript DEAD = LuaScript.load("jobs-dead");
    private static final LuaScript MODELS = LuaScript.load("job-models");

    /** Ready nodes a dispatch looks at, at most, for one that is still eligible (as a claim does). */
    private static final int CLAIM_SCAN_CAP = 1000;

    private final StateStore store;
    private final Keys keys;
    private final JobSettings settings;
    private final ChangeTracker changes;
    private final JsonMapper json;
    private final String ttl;
    private final String[] quarantine;

    JobStore(StateStore store, Keys keys, JobSettings settings, ChangeTracker changes, JsonMapper json) {
        this.store = store;
        this.keys = keys;
        this.settings = settings;
        this.changes = changes;
        this.json = json;
        this.ttl = String.valueOf(settings.statusTtl().toMillis());
        this.quarantine = new String[]{String.valueOf(settings.quarantineWindow().toMillis()),
                String.valueOf(settings.quarantineFailures()), String.valueOf(settings.quarantineFor().toMillis())};
    }

    /** What one delivery of a job's message comes to; see job-dispatch.lua. */
    record Dispatch(String outcome, String state, long attempt, String node, long leaseUntil, boolean delivered,
                    String claimId, String reason, Source source) {
    }

    /**
     * A job's state as the holder of its message sees it, and the Redis that holds it; state is
     * empty for a record that is gone.
     */
    record Seen(String state, long leaseUntil, boolean recovered, Source source) {
    }

    record Submitted(String outcome, String state) {
    }

    /** What a node's report did, and the Redis that holds it now. */
    record Reported(String state, boolean duplicate, boolean ended, long attempt, long maxAttempts, Source source) {
    }

    CompletionStage<Submitted> submit(JobMessage job) {
        String key = keys.job(job.jobId());
        return store.<List<Object>>write(SUBMIT, ScriptOutputType.MULTI, new String[]{key, keys.jobModels()},
                        job.jobId(), job.model(), job.version(), String.valueOf(job.priority()),
                        String.valueOf(job.maxAttempts()), job.fingerprint(), ttl)
                .thenApply(r -> {
                    changed(key, r.source());
                    return new Submitted(text(r.value(), 0), text(r.value(), 1));
                });
    }

    CompletionStage<Void> published(String jobId) {
        return write(PUBLISHED, ScriptOutputType.INTEGER, jobId).thenApply(r -> null);
    }

    CompletionStage<Void> abandon(String jobId) {
        return write(ABANDON, ScriptOutputType.INTEGER, jobId).thenApply(r -> null);
    }

    CompletionStage<Dispatch> dispatch(JobMessage job, String claimId) {
        String key = keys.job(job.jobId());
        String queue = job.version().isEmpty() ? keys.ready(job.model()) : keys.readyVersion(job.model(), job.version());
        List<String> args = new ArrayList<>(List.of(job.jobId(), job.model(), job.version(), String.valueOf(job.priority()),
                String.valueOf(job.maxAttempts()), job.fingerprint(), String.valueOf(job.submittedAt()),
                String.valueOf(settings.lease().toMillis()), claimId, ttl, String.valueOf(CLAIM_SCAN_CAP)));
        args.addAll(List.of(quarantine));
        return store.<List<Object>>write(DISPATCH, ScriptOutputType.MULTI, new String[]{key, queue, keys.deadJobs()},
                args.toArray(String[]::new)).thenApply(r -> {
                    List<Object> v = r.value();
                    String outcome = text(v, 0);
                    quarantined(text(v, v.size() - 1), r.source());
                    if (!outcome.equals("wait")) {
                        changed(key, r.source());
                    }
                    return switch (outcome) {
                        case "done" -> new Dispatch(outcome, text(v, 1), 0, null, 0, true, "", null, r.source());
                        case "adopt" -> new Dispatch(outcome, "assigned", number(v, 1), text(v, 2), number(v, 3),
                                "1".equals(text(v, 4)), text(v, 5), null, r.source());
                        case "assigned" -> new Dispatch(outcome, "assigned", number(v, 1), text(v, 2), number(v, 3), false,
                                claimId, null, r.source());
                        case "dead" -> new Dispatch(outcome, "dead", 0, null, 0, true, "", text(v, 1), r.source());
                        default -> new Dispatch("wait", "queued", 0, null, 0, false, "", null, r.source());
                    };
                });
    }

    CompletionStage<Boolean> deliver(JobMessage job, String node, long attempt, long leaseUntil) {
        String key = keys.job(job.jobId());
        return store.<Long>write(DELIVER, ScriptOutputType.INTEGER, new String[]{key, keys.inbox(node)},
                node, String.valueOf(attempt), job.assignmentJson(attempt, leaseUntil, settings.lease().toMillis()),
                String.valueOf(settings.lease().toMillis() * 2)).thenApply(r -> {
                    changed(key, r.source());
                    return r.value() == 1L;
                });
    }

    /** The node's waiting assignments, JSON each, at most {@code max}. */
    CompletionStage<List<String>> poll(String node, int max) {
        return store.<List<Object>>write(POLL, ScriptOutputType.MULTI, new String[]{keys.inbox(node)}, node, String.valueOf(max))
                .thenApply(r -> r.value().stream().map(o -> (String) o).toList());
    }

    /** The new end of the lease, or -1 if the node's attempt is not live. */
    CompletionStage<Long> renew(String jobId, String node, long attempt) {
        String key = keys.job(jobId);
        return store.<Long>write(LEASE, ScriptOutputType.INTEGER, new String[]{key}, node, String.valueOf(attempt),
                String.valueOf(settings.lease().toMillis()), ttl).thenApply(r -> {
                    if (r.value() >= 0) {
                        changed(key, r.source());
                    }
                    return r.value();
                });
    }

    /** Null when the node never had the job. */
    CompletionStage<Reported> result(String jobId, String node, long attempt, String output) {
        String key = keys.job(jobId);
        return store.<List<Object>>write(RESULT, ScriptOutputType.MULTI, new String[]{key}, jobId, node,
                String.valueOf(attempt), output, ttl).thenApply(r -> {
                    List<Object> v = r.value();
                    if (text(v, 0).equals("not_assigned")) {
                        return null;
                    }
                    changed(key, r.source());
                    return new Reported(text(v, 0), number(v, 1) == 1, number(v, 1) == 0, attempt, 0, r.source());
                });
    }

    /** Null when the node never had the job. */
    CompletionStage<Reported> failure(String jobId, String node, long attempt, String error) {
        String key = keys.job(jobId);
        List<String> args = new ArrayList<>(List.of(jobId, node, String.valueOf(attempt), error, ttl));
        args.addAll(List.of(quarantine));
        return store.<List<Object>>write(FAILURE, ScriptOutputType.MULTI, new String[]{key}, args.toArray(String[]::new))
                .thenApply(r -> {
                    List<Object> v = r.value();
                    if (text(v, 0).equals("not_assigned")) {
                        return null;
                    }
                    changed(key, r.source());
                    quarantined(text(v, 4), r.source());
                    return new Reported(text(v, 0), false, number(v, 1) == 1, number(v, 2), number(v, 3), r.source());
                });
    }

    /** The job's state after its holder saw the lease pass: {@code failed} if this ended the attempt. */
    CompletionStage<Seen> expire(String jobId) {
        String key = keys.job(jobId);
        List<String> args = new ArrayList<>(List.of(ttl));
        args.addAll(List.of(quarantine));
        return store.<List<Object>>write(EXPIRE, ScriptOutputType.MULTI, new String[]{key}, args.toArray(String[]::new))
                .thenApply(r -> {
                    List<Object> v = r.value();
                    changed(key, r.source());
                    quarantined(text(v, 2), r.source());
                    return new Seen(text(v, 0), number(v, 1), false, r.source());
                });
    }

    /** What the holder sees of each job, by job id. */
    CompletionStage<Map<String, Seen>> states(List<String> jobIds) {
        String[] k = jobIds.stream().map(keys::job).toArray(String[]::new);
        return store.<List<Object>>readSourced(STATES, ScriptOutputType.MULTI, k).thenApply(rows -> {
            Map<String, Seen> out = new LinkedHashMap<>();
            for (int i = 0; i < jobIds.size(); i++) {
                @SuppressWarnings("unchecked")
                List<Object> row = (List<Object>) rows.value().get(i);
                out.put(jobIds.get(i), new Seen(text(row, 0), number(row, 1), "1".equals(text(row, 2)), rows.source()));
            }
            return out;
        });
    }

    CompletionStage<Boolean> restore(JobMessage job, String node, long attempt, long leaseUntil, String claimId) {
        String key = keys.job(job.jobId());
        return store.<Long>write(RESTORE, ScriptOutputType.INTEGER, new String[]{key}, job.jobId(), job.model(), job.version(),
                String.valueOf(job.priority()), String.valueOf(job.maxAttempts()), job.fingerprint(),
                String.valueOf(job.submittedAt()), node, String.valueOf(attempt), String.valueOf(leaseUntil), claimId, ttl)
                .thenApply(r -> {
                    changed(key, r.source());
                    return r.value() == 1L;
                });
    }

    CompletionStage<Void> fill(JobMessage job) {
        String key = keys.job(job.jobId());
        return store.<Long>write(FILL, ScriptOutputType.INTEGER, new String[]{key}, job.jobId(), job.model(), job.version(),
                String.valueOf(job.priority()), String.valueOf(job.maxAttempts()), job.fingerprint(),
                String.valueOf(job.submittedAt())).thenApply(r -> {
                    changed(key, r.source());
                    return null;
                });
    }

    /** The job's record as field → value; empty when unknown. */
    CompletionStage<Map<String, String>> get(String jobId) {
        return store.<List<Object>>read(GET, ScriptOutputType.MULTI, new String[]{keys.job(jobId)}).thenApply(JobStore::record);
    }

    CompletionStage<List<Map<String, String>>> dead(int limit) {
        return store.<List<Object>>read(DEAD, ScriptOutputType.MULTI, new String[]{keys.deadJobs()}, String.valueOf(limit))
                .thenApply(rows -> rows.stream().map(row -> {
                    @SuppressWarnings("unchecked")
                    List<Object> fields = (List<Object>) row;
                    return record(fields);
                }).toList());
    }

    CompletionStage<List<String>> models() {
        return store.<List<Object>>read(MODELS, ScriptOutputType.MULTI, new String[]{keys.jobModels()})
                .thenApply(r -> r.stream().map(o -> (String) o).toList());
    }

    /**
     * True when an export of one job record shows the job ended (succeeded or dead): what its
     * holder may make durable before it gives up the job's message.
     */
    boolean showsEnded(ChangeLog.Export export) {
        try {
            JsonNode entity = json.readValue(export.changes(), JsonNode.class).get(0);
            JsonNode state = entity == null || entity.get("rec") == null ? null : entity.get("rec").get("state");
            return state != null && state.isString()
                    && (state.getStringValue().equals("succeeded") || state.getStringValue().equals("dead"));
        } catch (IOException e) {
            return false;
        }
    }

    static String claimId() {
        return UUID.randomUUID().toString();
    }

    private CompletionStage<Sourced<Long>> write(LuaScript script, ScriptOutputType type, String jobId) {
        String key = keys.job(jobId);
        return store.<Long>write(script, type, new String[]{key}).thenApply(r -> {
            changed(key, r.source());
            return r;
        });
    }

    private void changed(String key, Source source) {
        changes.changed(key, source);
    }

    private void quarantined(String node, Source source) {
        if (node != null && !node.isEmpty()) {
            changes.changed(keys.flag(node, "quarantine"), source);
        }
    }

    private static Map<String, String> record(List<Object> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            out.put((String) fields.get(i), (String) fields.get(i + 1));
        }
        return out;
    }

    private static String text(List<Object> v, int i) {
        return i < v.size() && v.get(i) != null ? String.valueOf(v.get(i)) : "";
    }

    private static long number(List<Object> v, int i) {
        Object o = i < v.size() ? v.get(i) : null;
        if (o instanceof Long l) {
            return l;
        }
        String s = o == null ? "" : o.toString();
        return s.isEmpty() ? 0 : (long) Double.parseDouble(s);
    }
}

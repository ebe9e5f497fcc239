package dev.gridstate.gateway.jobs;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.state.Keys;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/jobs}: a job is accepted (202) only once the broker confirmed its message. It
 * is recorded first (so a status read right after the 202 finds it), then published, then
 * marked published; a publish that fails takes the record back and answers 503.
 *
 * <p>An idempotency key names the job: its id is derived from the region and the key, so the
 * same key gives the same job on every replica, and after the loss of any Redis too (the
 * dispatcher recreates a record from its message). The same key with a different request is a
 * 409; with the same request, the job as it stands (and a publish again if the first was never
 * confirmed).
 */
@Singleton
@Requires(property = "gateway.jobs.enabled", notEquals = "false")
class JobIntake {

    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final JobStore store;
    private final JobPublisher publisher;
    private final JobDispatcher dispatcher;
    private final JobSettings settings;
    private final JsonMapper json;
    private final String region;

    JobIntake(JobStore store, JobPublisher publisher, JobDispatcher dispatcher, JobSettings settings, JsonMapper json,
              Keys keys) {
        this.store = store;
        this.publisher = publisher;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.json = json;
        this.region = keys.region();
    }

    record Accepted(String jobId, String state) {
    }

    CompletionStage<Accepted> submit(JsonBody body) {
        JobMessage job = read(body);
        return store.submit(job).exceptionallyCompose(error -> forget(job, error)).thenCompose(s -> switch (s.outcome()) {
            case "conflict" -> throw new ApiException(HttpStatus.CONFLICT, "idempotency_conflict",
                    "idempotencyKey was used for a different job (model, version, priority, maxAttempts or payload differ)",
                    "idempotencyKey");
            case "exists" -> CompletableFuture.completedFuture(new Accepted(job.jobId(), s.state()));
            default -> publish(job);
        });
    }

    /**
     * The record's write failed, maybe after it was made (a timeout): it is taken back if it is
     * there and unpublished, so no record of a job the client was told failed stays behind, and
     * the failure is answered as it was.
     */
    private CompletionStage<JobStore.Submitted> forget(JobMessage job, Throwable error) {
        return store.abandon(job.jobId()).handle((v, ignored) -> {
            throw error instanceof CompletionException c ? c : new CompletionException(error);
        });
    }

    private CompletionStage<Accepted> publish(JobMessage job) {
        dispatcher.want(job.model());
        return publisher.publish(job).handle((ok, error) -> error).thenCompose(error -> {
            if (error == null) {
                return store.published(job.jobId()).thenApply(v -> new Accepted(job.jobId(), "queued"));
            }
            return store.abandon(job.jobId()).handle((v, ignored) -> {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "broker_unavailable",
                        "the job was not stored: " + rootMessage(error) + "; retry (with an idempotencyKey a retry is safe)",
                        null);
            });
        });
    }

    private JobMessage read(JsonBody body) {
        String model = body.string("model", Names.MODEL_PART);
        String version = body.optionalString("version", Names.MODEL_PART, "");
        JsonNode payload = body.raw("payload");
        if (payload == null) {
            throw ApiException.missing("payload");
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw ApiException.invalid("payload", "payload is not JSON that can be stored");
        }
        if (bytes.length > settings.maxPayload()) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                    "payload must be at most " + settings.maxPayload() + " bytes of JSON, but was " + bytes.length, "payload");
        }
        Long priority = body.optionalNonNegativeLong("priority");
        if (priority != null && priority > 9) {
            throw ApiException.invalid("priority", "priority must be between 0 and 9, but was " + priority);
        }
        Long maxAttempts = body.optionalNonNegativeLong("maxAttempts");
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > settings.maxAttemptsLimit())) {
            throw ApiException.invalid("maxAttempts", "maxAttempts must be between 1 and " + settings.maxAttemptsLimit()
                    + ", but was " + maxAttempts);
        }
        String key = body.optionalString("idempotencyKey", IDEMPOTENCY_KEY, null);
        int p = priority == null ? 0 : priority.intValue();
        int attempts = maxAttempts == null ? settings.defaultMaxAttempts() : maxAttempts.intValue();
        String fingerprint = fingerprint(model, version, p, attempts, bytes);
        String jobId = key == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((region + "\n" + key).getBytes(StandardCharsets.UTF_8)).toString();
        return new JobMessage(jobId, model, version, p, attempts, fingerprint, System.currentTimeMillis(), bytes);
    }

    private static String fingerprint(String model, String version, int priority, int attempts, byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((model + "\n" + version + "\n" + priority + "\n" + attempts + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(payload);
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

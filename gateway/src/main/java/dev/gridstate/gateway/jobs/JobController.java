package dev.gridstate.gateway.jobs;

import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.GatewayConfig;
import dev.gridstate.gateway.api.ApiError;
import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.gateway.auth.NodeTokens;
import dev.gridstate.gateway.replication.Durability;
import dev.gridstate.state.Keys;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Jobs: intake, status, and what nodes report ({@code infra/rabbitmq/JOBS.md} has the whole path).
 * Nodes prove themselves with their node token, as for heartbeats.
 */
@Controller("/v1")
@Requires(property = "gateway.jobs.enabled", notEquals = "false")
@Tag(name = "jobs")
@ApiResponse(responseCode = "503", ref = "#/components/responses/StoreUnavailable")
class JobController {

    static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final Pattern ERROR_TEXT = Pattern.compile("(?s).{0,1000}");
    private static final int MAX_LIST = 1000;
    private static final int MAX_OUTPUT = 1 << 20;

    private final JobIntake intake;
    private final JobStore store;
    private final Assignments assignments;
    private final NodeTokens tokens;
    private final JobSettings settings;
    private final JsonMapper json;
    private final Durability durability;
    private final Keys keys;

    JobController(JobIntake intake, JobStore store, Assignments assignments, NodeTokens tokens, JobSettings settings,
                  JsonMapper json, Durability durability, Keys keys) {
        this.intake = intake;
        this.store = store;
        this.assignments = assignments;
        this.tokens = tokens;
        this.settings = settings;
        this.json = json;
        this.durability = durability;
        this.keys = keys;
    }

    @Serdeable
    @Schema(name = "JobAccepted")
    record Accepted(String jobId, String state) {
    }

    @Serdeable
    @Schema(name = "JobResultReported", description = "duplicate: this attempt's result was recorded before, or a "
            + "result of another attempt won; the job reports succeeded once")
    record Reported(String jobId,
                    @Schema(allowableValues = "succeeded", requiredMode = RequiredMode.REQUIRED) String state,
                    boolean duplicate) {
    }

    @Serdeable
    @Schema(name = "JobFailureReported", description = "willRetry: another attempt follows (else the job is dead)")
    record FailureReported(String jobId, String state, long attempt, long maxAttempts, boolean willRetry) {
    }

    @Serdeable
    @Schema(name = "JobLease")
    record Lease(String jobId, long attempt,
                 @Schema(description = "ms since the epoch", requiredMode = RequiredMode.REQUIRED) long leaseExpiresAt) {
    }

    @Post("/jobs")
    @Operation(operationId = "submitJob", summary = "Submit a job: accepted once the broker confirmed it",
            description = "With an idempotencyKey, a retried submit finds the same job (on any replica, and after "
                    + "a Redis loss).", requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/JobRequest"))))
    @ApiResponse(responseCode = "202", description = "accepted; its status is at Location",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.LOCATION,
                    description = "/v1/jobs/{jobId}", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @ApiResponse(responseCode = "400", description = "missing_body, malformed_json, missing_field, invalid_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "idempotency_conflict: the key was used for a different job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "payload_too_large: past gateway.jobs.max-payload",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "broker_unavailable (nothing is stored; retry, safely with an "
            + "idempotencyKey) or store_unavailable",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.RETRY_AFTER,
                    description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> submit(@Nullable @Body byte[] body) {
        return intake.submit(JsonBody.parse(json, body)).thenApply(job -> HttpResponse.accepted()
                .header(HttpHeaders.LOCATION, "/v1/jobs/" + job.jobId())
                .body(new Accepted(job.jobId(), job.state())));
    }

    @Get("/jobs/{jobId}")
    @Operation(operationId = "getJob", summary = "A job's status: queued, assigned, succeeded, failed (another attempt "
            + "follows) or dead")
    @ApiResponse(responseCode = "200", description = "the job",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "400", description = "invalid_field (jobId)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "not_found: no such job (or its status-ttl ran out)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> status(@Schema(ref = "#/components/schemas/JobId") @PathVariable String jobId) {
        String id = jobId(jobId);
        return store.get(id).thenApply(record -> record.isEmpty()
                ? HttpResponse.notFound(ApiException.notFound("job " + id).toError())
                : HttpResponse.ok(JobView.of(record, json)));
    }

    @Get("/jobs{?state,limit}")
    @Operation(operationId = "listDeadJobs", summary = "Dead jobs of the region, newest first (an operator's view)",
            security = @SecurityRequirement(name = Application.ADMIN_AUTH))
    @ApiResponse(responseCode = "200", description = "the dead jobs",
            content = @Content(schema = @Schema(ref = "#/components/schemas/JobList")))
    @ApiResponse(responseCode = "400", description = "invalid_field: state is not dead, or limit is out of range",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
    CompletionStage<HttpResponse<?>> list(
            @Parameter(description = "required: only dead is listed") @Schema(allowableValues = "dead")
            @Nullable @QueryValue String state,
            @Schema(minimum = "1", maximum = "1000", defaultValue = "100") @Nullable @QueryValue Integer limit) {
        if (!"dead".equals(state)) {
            throw ApiException.invalid("state", "only state=dead is listed (a job's own status is GET /v1/jobs/{jobId})");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_LIST) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIST + ", but was " + n);
        }
        return store.dead(n).thenApply(rows -> HttpResponse.ok(Map.of("jobs",
                rows.stream().map(r -> JobView.of(r, json)).toList())));
    }

    @Get("/nodes/{nodeId}/assignments{?waitMs}")
    @Operation(operationId = "pollAssignments", summary = "A node's next assignments, waiting up to waitMs for one",
            description = "A long poll: [] when none came within waitMs.",
            security = @SecurityRequirement(name = Application.NODE_AUTH))
    @ApiResponse(responseCode = "200", description = "the assignments, possibly none",
            content = @Content(array = @ArraySchema(schema = @Schema(ref = "#/components/schemas/Assignment"))))
    @ApiResponse(responseCode = "400", description = "invalid_node_id, invalid_field (waitMs)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    CompletionStage<HttpResponse<?>> assignments(
            @Schema(ref = "#/components/schemas/NodeId") @PathVariable String nodeId,
            @Parameter(description = "at most gateway.jobs.max-wait (30000 by default)")
            @Schema(minimum = "0", defaultValue = "0") @Nullable @QueryValue Long waitMs,
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = Names.nodeId(nodeId);
        tokens.require(id, authorization);
        long wait = waitMs == null ? 0 : waitMs;
        if (wait < 0 || wait > settings.maxWait().toMillis()) {
            throw ApiException.invalid("waitMs", "waitMs must be between 0 and " + settings.maxWait().toMillis() + ", but was " + wait);
        }
        return assignments.await(id, wait).thenApply(found -> HttpResponse.ok("[" + String.join(",", found) + "]")
                .contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    @Post("/jobs/{jobId}/result")
    @Operation(operationId = "reportResult", summary = "A node reports an attempt's result; answers once it is durable",
            description = "The first result wins; a later one of another attempt is recorded and ignored; the same "
                    + "report again changes nothing.", security = @SecurityRequirement(name = Application.NODE_AUTH),
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/JobResultRequest"))))
    @ApiResponse(responseCode = "200", description = "recorded",
            content = @Content(schema = @Schema(implementation = Reported.class)))
    @ApiResponse(responseCode = "400", description = "invalid_field (jobId, attempt), missing_body, malformed_json, "
            + "missing_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    @ApiResponse(responseCode = "409", description = "not_assigned: the node never had an attempt of the job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "output_too_large: past 1 MiB of JSON",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "not_durable: neither central nor the broker took the result in "
            + "time (report again), or store_unavailable",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = HttpHeaders.RETRY_AFTER,
                    description = "seconds", schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> result(@Schema(ref = "#/components/schemas/JobId") @PathVariable String jobId,
                                            @Nullable @Body byte[] body,
                                            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = jobId(jobId);
        JsonBody request = JsonBody.parse(json, body);
        Report report = reporter(request, authorization);
        JsonNode output = request.raw("output");
        String outputJson = output == null ? "null" : write(output);
        if (outputJson.length() > MAX_OUTPUT) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "output_too_large",
                    "output must be at most " + MAX_OUTPUT + " bytes of JSON, but was " + outputJson.length(), "output");
        }
        // The answer waits until the result is on central (or in the change log's queue): a node
        // that got it does not report again, so a regional Redis lost right after must not take
        // the result with it. Not durable in time: a 503, and the node's retry is recorded once.
        return store.result(id, report.nodeId(), report.attempt(), outputJson).thenCompose(r -> r == null
                ? CompletableFuture.completedFuture(notAssigned(id, report.nodeId()))
                : durability.writeThrough(keys.job(id), r.source())
                        .thenApply(durable -> HttpResponse.ok(new Reported(id, r.state(), r.duplicate()))));
    }

    @Post("/jobs/{jobId}/failure")
    @Operation(operationId = "reportFailure", summary = "A node reports that an attempt failed; the job is retried on "
            + "another node or, past maxAttempts, dead", security = @SecurityRequirement(name = Application.NODE_AUTH),
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/JobFailureRequest"))))
    @ApiResponse(responseCode = "200", description = "recorded",
            content = @Content(schema = @Schema(implementation = FailureReported.class)))
    @ApiResponse(responseCode = "400", description = "invalid_field (jobId, attempt, error), missing_body, "
            + "malformed_json, missing_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    @ApiResponse(responseCode = "409", description = "not_assigned: the node never had an attempt of the job",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> failure(@Schema(ref = "#/components/schemas/JobId") @PathVariable String jobId,
                                             @Nullable @Body byte[] body,
                                             @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = jobId(jobId);
        JsonBody request = JsonBody.parse(json, body);
        Report report = reporter(request, authorization);
        String error = request.optionalString("error", ERROR_TEXT, "no reason given");
        return store.failure(id, report.nodeId(), report.attempt(), error).thenApply(r -> r == null
                ? notAssigned(id, report.nodeId())
                : HttpResponse.ok(new FailureReported(id, r.state(), r.attempt(), r.maxAttempts(),
                        r.ended() && (r.maxAttempts() == 0 || r.attempt() < r.maxAttempts()))));
    }

    @Post("/jobs/{jobId}/lease")
    @Operation(operationId = "renewJobLease", summary = "A node renews the lease of the attempt it runs",
            security = @SecurityRequirement(name = Application.NODE_AUTH),
            requestBody = @RequestBody(required = true,
                    content = @Content(schema = @Schema(ref = "#/components/schemas/JobReport"))))
    @ApiResponse(responseCode = "200", description = "the new expiry",
            content = @Content(schema = @Schema(implementation = Lease.class)))
    @ApiResponse(responseCode = "400", description = "invalid_field (jobId, attempt), missing_body, malformed_json, "
            + "missing_field",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", ref = "#/components/responses/NodeUnauthorized")
    @ApiResponse(responseCode = "409", description = "lease_lost: the attempt is over (ended, or went to another "
            + "node); finish and report, the result is recorded as late",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    CompletionStage<HttpResponse<?>> renew(@Schema(ref = "#/components/schemas/JobId") @PathVariable String jobId,
                                           @Nullable @Body byte[] body,
                                           @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        String id = jobId(jobId);
        Report report = reporter(JsonBody.parse(json, body), authorization);
        return store.renew(id, report.nodeId(), report.attempt()).thenApply(until -> until < 0
                ? HttpResponse.status(HttpStatus.CONFLICT).body(new ApiError("lease_lost",
                        "attempt " + report.attempt() + " of job " + id + " is no longer node " + report.nodeId()
                                + "'s: it ended or went to another node; finish and report, the result is recorded as late",
                        null))
                : HttpResponse.ok(new Lease(id, report.attempt(), until)));
    }

    /** Which node reports, and for which attempt. */
    record Report(String nodeId, long attempt) {
        static Report read(JsonBody body) {
            String node = body.string("nodeId", Names.NODE_ID);
            long attempt = body.nonNegativeLong("attempt");
            if (attempt < 1) {
                throw ApiException.invalid("attempt", "attempt must be at least 1, as the assignment gave it");
            }
            return new Report(node, attempt);
        }
    }

    /** Who reports, for which attempt, once its token is checked. */
    private Report reporter(JsonBody request, String authorization) {
        Report report = Report.read(request);
        tokens.require(report.nodeId(), authorization);
        return report;
    }

    private static HttpResponse<?> notAssigned(String jobId, String nodeId) {
        return HttpResponse.status(HttpStatus.CONFLICT).body(new ApiError("not_assigned",
                "node " + nodeId + " never had an attempt of job " + jobId, "nodeId"));
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw ApiException.invalid("output", "output is not JSON that can be stored");
        }
    }

    static String jobId(String value) {
        if (!JOB_ID.matcher(value).matches()) {
            throw ApiException.invalid("jobId", "jobId must be a UUID as POST /v1/jobs answers it");
        }
        return value;
    }
}

package dev.gridstate.gateway;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

@OpenAPIDefinition(
        info = @Info(title = "Regional state gateway", version = "v1", description = """
                The HTTP API of one region's gateway: the live state of the GPU node network (registry, \
                heartbeats, matchmaking and claims, admin flags, Subclouds, jobs, events).

                **Auth.** Three kinds of call: *public* ones (no `security` below), *node* calls that carry \
                the node's own token (`Authorization: Bearer <nodeToken>`, from its registration answer), and \
                *admin* calls (everything under `/v1/admin`, and listing jobs) that carry \
                `Authorization: Bearer <gateway.admin.token>`. A missing or wrong token is 401 with a \
                `WWW-Authenticate: Bearer` challenge for admin calls.

                **Errors.** Every 4xx and 5xx answer is an `ApiError` JSON object \
                (`{"error","message","field"}`) and changes nothing. Any call that reads or writes state may \
                answer 503 `store_unavailable` with `Retry-After` when neither the region's Redis nor central \
                answers; a body past `micronaut.server.max-request-size` is 413 `body_too_large`; an unknown \
                path is 404, a wrong method 405.

                **State source.** Answers that read or wrote state carry `X-State-Source: regional|central`.

                **Management.** `GET /health` (each Redis, RabbitMQ and breaker; 503 when down), \
                `GET /prometheus` (Prometheus text format) and `GET /metrics` are public and listed under the \
                `management` tag."""),
        tags = {
                @Tag(name = "registry", description = "Nodes register, beat and disconnect; anyone reads and matches"),
                @Tag(name = "routing", description = "Routers claim an idle node and hold it with a lease"),
                @Tag(name = "jobs", description = "Job intake through RabbitMQ, status, and what nodes report"),
                @Tag(name = "subclouds", description = "Subcloud definitions (admin) and client reads with ETags"),
                @Tag(name = "events", description = "Server-Sent Events of node changes"),
                @Tag(name = "admin", description = "Flags, notices, node inspection, replication (admin token)"),
                @Tag(name = "management", description = "Health, metrics and the status page")
        })
@SecurityScheme(name = Application.ADMIN_AUTH, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The admin token (gateway.admin.token, env GATEWAY_ADMIN_TOKEN); required on /v1/admin/** "
                + "and GET /v1/jobs")
@SecurityScheme(name = Application.NODE_AUTH, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "HMAC-SHA256 of region:nodeId, base64url",
        description = "The node's own token, as its registration answer gave it (nodeToken); a node may speak only "
                + "for itself")
public class Application {

    /** The security scheme of admin calls in the OpenAPI document. */
    public static final String ADMIN_AUTH = "admin";
    /** The security scheme of calls a node makes about itself. */
    public static final String NODE_AUTH = "node";

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}

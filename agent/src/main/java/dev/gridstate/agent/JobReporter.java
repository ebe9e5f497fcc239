package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reports how a job ended: {@code POST /v1/jobs/{id}/result} with the handler's output, or
 * {@code POST /v1/jobs/{id}/failure} with its error, each with the node's token. Transient failures are
 * retried until the gateway answers or the agent closes; a 401 re-registers the node and sends the report
 * again with its fresh token; any other 4xx is final: logged, counted and passed to
 * {@link AgentListener#onError}.
 */
final class JobReporter {

    private static final Logger log = LoggerFactory.getLogger(JobReporter.class);

    private final GatewayClient client;
    private final Registrar registrar;
    private final Counters counters;
    private final Listeners listeners;

    JobReporter(GatewayClient client, Registrar registrar, Counters counters, Listeners listeners) {
        this.client = client;
        this.registrar = registrar;
        this.counters = counters;
        this.listeners = listeners;
    }

    /** Completes (never exceptionally) once the gateway took or refused the result, or the agent closed. */
    CompletableFuture<Void> result(NodeSlot node, Job job, JsonNode output) {
        return report(node, job, "result", Wire.result(job, output), response -> {
            counters.jobSucceeded();
            log.debug("result of {} reported to {} (duplicate={})", job, response.gateway(),
                    response.body().path("duplicate").asBoolean(false));
        });
    }

    /** Completes (never exceptionally) once the gateway took or refused the failure, or the agent closed. */
    CompletableFuture<Void> failure(NodeSlot node, Job job, String error) {
        return report(node, job, "failure", Wire.failure(job, error), response -> {
            counters.jobFailed();
            log.debug("failure of {} reported to {} (state {})", job, response.gateway(),
                    response.body().path("state").asText("?"));
        });
    }

    private CompletableFuture<Void> report(NodeSlot node, Job job, String kind, byte[] body,
                                           Consumer<GatewayResponse> accepted) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        send(node, job, kind, body, accepted, done);
        return done;
    }

    private void send(NodeSlot node, Job job, String kind, byte[] body,
                      Consumer<GatewayResponse> accepted, CompletableFuture<Void> done) {
        Call call = Call.of("POST", "/v1/jobs/" + job.id() + "/" + kind, () -> body, kind + " of " + job)
                .withBearer(node::token);
        client.send(call).whenComplete((answer, error) -> {
            try {
                if (error != null) {
                    log.error("{} of {} was not reported: sending it ended unexpectedly", kind, job, error);
                    done.complete(null);
                } else if (answer.isEmpty()) {
                    log.warn("{} of {} was not reported: the agent closed", kind, job);
                    done.complete(null);
                } else if (answer.get().status() == 401) {
                    registrar.reRegister(node, "401 (node token refused) to the " + kind + " of " + job);
                    node.whenRegistered(() -> send(node, job, kind, body, accepted, done));
                } else if (answer.get().isSuccess()) {
                    accepted.accept(answer.get());
                    done.complete(null);
                } else {
                    refused(node, job, kind, answer.get());
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                log.error("handling the answer to the {} of {} failed", kind, job, e);
                done.complete(null);
            }
        });
    }

    private void refused(NodeSlot node, Job job, String kind, GatewayResponse response) {
        GatewayError error = Wire.error(node.id(), kind, response);
        counters.reportRefused();
        counters.rejection();
        log.error("{} for {}; the report is lost", error, job);
        listeners.error(error);
    }
}

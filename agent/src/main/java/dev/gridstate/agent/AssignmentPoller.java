package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Sends the assignment polls of an agent's nodes, {@code GET /v1/nodes/{id}/assignments?waitMs=…} with the
 * node's token, and reads their answers: a 200 brings a JSON array of jobs (empty when the gateway had
 * none within the wait); 401 and 409 re-register the node; transient failures call for a backoff; any
 * other 4xx is reported and the poll sent again after the backoff cap.
 */
final class AssignmentPoller {

    /**
     * The least time between two polls that come back empty: a gateway that answers at once instead of
     * holding the poll must not make its nodes poll in a hot loop.
     */
    static final Duration MIN_EMPTY_POLL_SPACING = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(AssignmentPoller.class);

    /**
     * What a poll came to.
     *
     * @param jobs   the jobs it brought, in the order given
     * @param pause  how long to wait before the next poll
     * @param failed whether it failed transiently (the next backoff is longer)
     */
    record Polled(List<Job> jobs, Duration pause, boolean failed) {
    }

    private final GatewayClient client;
    private final Registrar registrar;
    private final Counters counters;
    private final Listeners listeners;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Clock clock;
    private final Duration wait;
    private final Duration timeout;

    AssignmentPoller(AgentConfig config, JobConfig jobs, GatewayClient client, Registrar registrar,
                     Counters counters, Listeners listeners) {
        this.client = client;
        this.registrar = registrar;
        this.counters = counters;
        this.listeners = listeners;
        this.backoff = config.backoff();
        this.random = config.random();
        this.clock = config.clock();
        this.wait = jobs.pollWait();
        // the gateway holds the poll for up to the wait, and then needs the usual time to answer
        this.timeout = jobs.pollWait().plus(config.requestTimeout());
    }

    /** One attempt; cancelling the returned future aborts the poll. */
    CompletableFuture<Attempt> send(NodeSlot node) {
        Call call = Call.of("GET", "/v1/nodes/" + node.id() + "/assignments?waitMs=" + wait.toMillis(), null,
                        "assignment poll of node '" + node.id() + "'")
                .withBearer(node::token)
                .withTimeout(timeout);
        return client.tryOnce(call);
    }

    /**
     * @param failuresBefore transient failures of the node's polls since the last answer
     * @param sentAt         {@link System#nanoTime()} when the poll went out
     */
    Polled read(NodeSlot node, Attempt attempt, int failuresBefore, long sentAt) {
        return switch (attempt) {
            case Attempt.Answered answered -> read(node, answered.response(), sentAt);
            case Attempt.Failed failed -> {
                Duration pause = backoff.delay(failuresBefore, failed.retryAfter(), random);
                log.debug("assignment poll of node '{}' failed ({}); polling again in {} ms", node.id(),
                        failed.reason(), pause.toMillis());
                yield new Polled(List.of(), pause, true);
            }
            case Attempt.Abandoned abandoned -> new Polled(List.of(), backoff.cap(), true);
        };
    }

    private Polled read(NodeSlot node, GatewayResponse response, long sentAt) {
        if (response.isSuccess()) {
            List<Job> jobs = response.body().isMissingNode() ? List.of()
                    : Wire.assignments(node.id(), response.body(), clock.millis());
            counters.assignmentsReceived(jobs.size());
            if (!jobs.isEmpty()) {
                log.debug("node '{}' was assigned {}", node.id(), jobs);
                return new Polled(jobs, Duration.ZERO, false);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
            Duration rest = MIN_EMPTY_POLL_SPACING.minus(took);
            return new Polled(jobs, rest.isNegative() ? Duration.ZERO : rest, false);
        }
        if (response.status() == 401) {
            registrar.reRegister(node, "401 (node token refused) to an assignment poll");
            // the node polls again once it is registered, with its fresh token
            return new Polled(List.of(), Duration.ZERO, false);
        }
        if (response.status() == 409) {
            registrar.reRegister(node, "409 unknown_node to an assignment poll");
            return new Polled(List.of(), Duration.ZERO, false);
        }
        GatewayError error = Wire.error(node.id(), "poll", response);
        counters.rejection();
        log.error("{}; polling again in {} ms", error, backoff.cap().toMillis());
        listeners.error(error);
        return new Polled(List.of(), backoff.cap(), false);
    }
}

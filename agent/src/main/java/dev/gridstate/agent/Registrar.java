package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends nodes' full records ({@code PUT /v1/nodes/{id}}), at most {@code maxInFlight} at a time so
 * that an agent with many nodes re-registering after a Redis loss does not open a connection each.
 * Each accepted registration brings the node's token ({@code nodeToken}), kept for its heartbeats.
 */
final class Registrar {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final GatewayClient client;
    private final Timing timing;
    private final Counters counters;
    private final Listeners listeners;
    private final int maxInFlight;
    private final Runnable afterRegistration;
    private final Queue<NodeSlot> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    Registrar(GatewayClient client, Timing timing, Counters counters, Listeners listeners, int maxInFlight,
              Runnable afterRegistration) {
        this.client = client;
        this.timing = timing;
        this.counters = counters;
        this.listeners = listeners;
        this.maxInFlight = maxInFlight;
        this.afterRegistration = afterRegistration;
    }

    /** Registers a node that has never been registered. */
    void register(NodeSlot node) {
        if (node.beginRegistration(NodeSlot.Registration.PENDING)) {
            enqueue(node);
        }
    }

    /**
     * Re-sends the record of a node the gateway no longer knows or whose token it refused; a no-op if
     * one is already under way.
     *
     * @param why what the gateway answered, for the log
     */
    void reRegister(NodeSlot node, String why) {
        if (node.beginRegistration(NodeSlot.Registration.REGISTERED)) {
            counters.reRegistration();
            log.info("gateway answered {} for node '{}'; re-registering", why, node.id());
            listeners.reRegisterRequested(node.id());
            enqueue(node);
        }
    }

    private void enqueue(NodeSlot node) {
        waiting.add(node);
        pump();
    }

    private void pump() {
        while (true) {
            int running = inFlight.get();
            if (running >= maxInFlight || waiting.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            NodeSlot node = waiting.poll();
            if (node == null) {
                inFlight.decrementAndGet();
                continue;
            }
            send(node);
        }
    }

    private void send(NodeSlot node) {
        Call call = Call.of("PUT", "/v1/nodes/" + node.id(), () -> Wire.registration(node),
                "registration of node '" + node.id() + "'");
        client.send(call).whenComplete((answer, error) -> {
            try {
                if (error != null) {
                    log.error("registration of node '{}' ended unexpectedly; will not retry", node.id(), error);
                    node.abandoned();
                } else {
                    complete(node, answer);
                }
            } catch (RuntimeException e) {
                log.error("handling the registration answer for node '{}' failed", node.id(), e);
            } finally {
                inFlight.decrementAndGet();
                pump();
            }
        });
    }

    private void complete(NodeSlot node, Optional<GatewayResponse> answer) {
        if (answer.isEmpty()) {
            node.abandoned();
            return;
        }
        GatewayResponse response = answer.get();
        if (response.isSuccess()) {
            timing.update(response.body());
            node.token(Wire.nodeToken(node.id(), response.body()));
            node.registered();
            counters.registration();
            boolean created = response.body().path("created").asBoolean(response.status() == 201);
            log.debug("node '{}' registered at {} in region {} (created={})", node.id(), response.gateway(),
                    response.body().path("region").asText("?"), created);
            listeners.registered(node.id(), created);
            afterRegistration.run();
        } else {
            GatewayError error = Wire.error(node.id(), "register", response);
            node.rejected();
            counters.rejection();
            log.error("{}; not retrying", error);
            listeners.error(error);
        }
    }
}

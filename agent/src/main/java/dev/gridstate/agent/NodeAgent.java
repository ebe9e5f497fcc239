package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the nodes of one GPU host alive in their region's gateway: registers each node with its full
 * record, then heart-beats at the interval the gateway answers with, re-registering a node whenever
 * the gateway says it does not know it (409) or refuses its token (401). Each heartbeat carries the
 * node token its registration answer brought. Directives that hold a node back from routing make
 * {@link #isOffering} false until they are lifted; the agent keeps beating meanwhile, so the node
 * stays online. Transient failures are retried with jittered
 * exponential backoff on the region's next gateway URL; other 4xx answers are reported to the
 * {@link AgentListener} and not retried.
 *
 * <p>{@link #start()} never blocks: all I/O is asynchronous on the agent's scheduler and HTTP client
 * (its own, or ones shared with other agents). Node state set with {@link #setState} and
 * {@link #setFreeMemoryMb} goes out with the next heartbeat. {@link #close()} stops heart-beating;
 * unless {@code deregisterOnClose} was set the nodes then simply expire, as after a crash.
 * An agent is started at most once.
 *
 * <p>Given a {@link JobHandler} ({@link NodeAgentBuilder#jobs}), each registered node also long-polls the
 * gateway for job assignments, runs them through the handler while renewing their leases, and reports
 * each result or failure; see {@link JobHandler}.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private enum Lifecycle { NEW, STARTED, CLOSED }

    private final AgentConfig config;
    private final Map<String, NodeSlot> nodes = new LinkedHashMap<>();
    private final Counters counters = new Counters();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final GatewayClient client;
    private final Registrar registrar;
    private final HeartbeatLoop heartbeats;
    private final Timing timing;
    private final Listeners listeners;
    private final Optional<Jobs> jobs;

    NodeAgent(AgentConfig config) {
        this.config = config;
        config.nodes().forEach(spec -> nodes.put(spec.nodeId(), new NodeSlot(spec)));
        this.scheduler = config.scheduler().orElseGet(() -> ownScheduler(config.name()));
        this.http = config.httpClient().orElseGet(() -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .build());
        Listeners listeners = new Listeners(config.listener());
        this.listeners = listeners;
        this.timing = new Timing(config.heartbeatJitter(), config.random());
        this.client = new GatewayClient(config, new GatewayEndpoints(config.gateways(), counters), scheduler, http,
                () -> lifecycle.get() == Lifecycle.CLOSED);
        List<NodeSlot> slots = List.copyOf(nodes.values());
        this.registrar = new Registrar(client, timing, counters, listeners, config.maxRegistrationsInFlight(),
                this::startHeartbeats);
        HeartbeatSender sender = new HeartbeatSender(client, registrar, timing, counters, listeners,
                new DirectiveHandler(listeners, this::assignmentsWaiting), slots.size() > 1);
        this.heartbeats = new HeartbeatLoop(slots, sender, timing, scheduler);
        this.jobs = config.jobs().map(settings -> new Jobs(config, settings, slots, client, registrar, scheduler,
                counters, listeners));
    }

    public static NodeAgentBuilder builder() {
        return new NodeAgentBuilder();
    }

    /** Registers every node, then heart-beats; returns at once. */
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException("NodeAgent '" + config.name() + "' cannot start: it is " + lifecycle.get());
        }
        log.debug("agent '{}' starting with gateways {}", config.name(), config.gateways());
        scheduler.execute(() -> {
            try {
                jobs.ifPresent(Jobs::start);
                nodes.values().forEach(registrar::register);
            } catch (RuntimeException | Error e) {
                // The scheduler would keep this to itself: say it, or the agent is silently idle.
                log.error("agent '{}' could not start registering its nodes", config.name(), e);
                throw e;
            }
        });
    }

    public void setState(String nodeId, NodeState state) {
        node(nodeId).state(Objects.requireNonNull(state, "state"));
    }

    /** @throws IllegalArgumentException if the value is negative or above the GPU's memory */
    public void setFreeMemoryMb(String nodeId, long freeMemoryMb) {
        node(nodeId).freeMemoryMb(freeMemoryMb);
    }

    public NodeState state(String nodeId) {
        return node(nodeId).state();
    }

    public long freeMemoryMb(String nodeId) {
        return node(nodeId).freeMemoryMb();
    }

    /** True once the gateway accepted the node's record, false again while it is being re-registered. */
    public boolean isRegistered(String nodeId) {
        return node(nodeId).isRegistered();
    }

    /**
     * Whether the node should take new work: it is registered, no routing hold ({@code pause},
     * {@code cooldown}, {@code maintenance}, {@code freeze}) came with its last heartbeat answer, and
     * no {@link #disconnect} was announced since its last accepted heartbeat.
     */
    public boolean isOffering(String nodeId) {
        return node(nodeId).isOffering();
    }

    /** The routing holds of the node's last heartbeat answer (see {@link AgentListener#onRoutingHold}), or none. */
    public List<JsonNode> routingHolds(String nodeId) {
        return node(nodeId).holds();
    }

    /**
     * Tells the gateway the node goes away for about {@code expected} ({@code POST /v1/nodes/{id}/disconnect}),
     * e.g. for a restart, and stops offering the node until a heartbeat sent after this call is accepted.
     * Returns at once; the future is true if the gateway accepted, false otherwise (a refusal is also
     * reported to {@link AgentListener#onError}). Transient failures are retried like heartbeats.
     *
     * @throws IllegalArgumentException if {@code expected} is not positive
     */
    public CompletableFuture<Boolean> disconnect(String nodeId, Duration expected) {
        NodeSlot node = node(nodeId);
        Objects.requireNonNull(expected, "expected");
        if (expected.toMillis() < 1) {
            throw new IllegalArgumentException("expected disconnection of node '" + nodeId
                    + "' must be at least 1ms, but was " + expected);
        }
        node.disconnected(System.nanoTime());
        if (lifecycle.get() != Lifecycle.STARTED || !node.isRegistered()) {
            log.debug("node '{}' is not registered; no disconnection to announce", nodeId);
            return CompletableFuture.completedFuture(false);
        }
        Call call = Call.of("POST", "/v1/nodes/" + nodeId + "/disconnect", () -> Wire.disconnect(expected),
                "disconnection of node '" + nodeId + "'").withBearer(node::token);
        return client.send(call).thenApply(answer -> answer.map(response -> {
            if (response.isSuccess()) {
                log.info("node '{}' announced a disconnection of about {}", nodeId, expected);
                return true;
            }
            // a stale token is not renewed here: a registration would put the node back online
            GatewayError error = Wire.error(nodeId, "disconnect", response);
            counters.rejection();
            log.error("{}", error);
            listeners.error(error);
            return false;
        }).orElse(false));
    }

    /** The directives of the node's last successful heartbeat; empty before the first. */
    public List<JsonNode> lastDirectives(String nodeId) {
        return node(nodeId).lastDirectives();
    }

    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** The heartbeat interval the gateway last asked for (5 s until it has answered). */
    public Duration heartbeatInterval() {
        return timing.interval();
    }

    public AgentCounters counters() {
        return counters.snapshot();
    }

    /** Stops heart-beating and retrying; with {@code deregisterOnClose}, waits up to one request timeout for the deletes. */
    @Override
    public void close() {
        Lifecycle previous = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (previous == Lifecycle.CLOSED) {
            return;
        }
        heartbeats.stop();
        jobs.ifPresent(Jobs::stop);
        if (previous == Lifecycle.STARTED && config.deregisterOnClose()) {
            deregister();
        }
        if (config.scheduler().isEmpty()) {
            scheduler.shutdownNow();
        }
        if (config.httpClient().isEmpty()) {
            http.shutdownNow();
        }
        log.debug("agent '{}' closed; counters {}", config.name(), counters.snapshot());
    }

    private void deregister() {
        CompletableFuture<?>[] deletes = nodes.values().stream()
                .filter(NodeSlot::isRegistered)
                .map(node -> client.sendOnce(Call.of("DELETE", "/v1/nodes/" + node.id(), null,
                        "deregistration of node '" + node.id() + "'").withBearer(node::token)))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(deletes).get(config.requestTimeout().toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("agent '{}' closed before every node was deregistered: {}", config.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("agent '{}' interrupted while deregistering its nodes", config.name());
        }
    }

    private void startHeartbeats() {
        heartbeats.startIfIdle();
    }

    private void assignmentsWaiting(NodeSlot node) {
        jobs.ifPresent(j -> j.assignmentsWaiting(node));
    }

    private NodeSlot node(String nodeId) {
        NodeSlot node = nodes.get(nodeId);
        if (node == null) {
            throw new UnknownNodeException(nodeId, nodes.keySet());
        }
        return node;
    }

    private static ScheduledExecutorService ownScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "node-agent-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }
}

package dev.gridstate.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds a {@link NodeAgent}. Gateways and nodes are required; everything else has a named default.
 * {@link #build()} checks every setting and names the bad value.
 */
public final class NodeAgentBuilder {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(5);
    /** Each heartbeat goes out up to this fraction of the interval early. */
    public static final double DEFAULT_HEARTBEAT_JITTER = 0.1;
    public static final int DEFAULT_MAX_REGISTRATIONS_IN_FLIGHT = 8;
    public static final int DEFAULT_JOB_CONCURRENCY = 1;
    public static final Duration DEFAULT_ASSIGNMENT_WAIT = Duration.ofSeconds(10);

    private final List<URI> gateways = new ArrayList<>();
    private final List<NodeSpec> nodes = new ArrayList<>();
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private Duration backoffCap = DEFAULT_BACKOFF_CAP;
    private double heartbeatJitter = DEFAULT_HEARTBEAT_JITTER;
    private int maxRegistrationsInFlight = DEFAULT_MAX_REGISTRATIONS_IN_FLIGHT;
    private boolean deregisterOnClose;
    private ScheduledExecutorService scheduler;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Long seed;
    private AgentListener listener = new AgentListener() { };
    private JobHandler jobHandler;
    private int jobConcurrency = DEFAULT_JOB_CONCURRENCY;
    private Duration assignmentWait = DEFAULT_ASSIGNMENT_WAIT;

    NodeAgentBuilder() {
    }

    /** The gateway base URLs of one region, tried in this order; the agent sticks to one that works. */
    public NodeAgentBuilder gateways(Collection<URI> uris) {
        gateways.addAll(Objects.requireNonNull(uris, "gateways"));
        return this;
    }

    public NodeAgentBuilder gateway(URI uri) {
        gateways.add(Objects.requireNonNull(uri, "gateway"));
        return this;
    }

    public NodeAgentBuilder nodes(Collection<NodeSpec> specs) {
        nodes.addAll(Objects.requireNonNull(specs, "nodes"));
        return this;
    }

    public NodeAgentBuilder node(NodeSpec spec) {
        nodes.add(Objects.requireNonNull(spec, "node"));
        return this;
    }

    public NodeAgentBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
        return this;
    }

    public NodeAgentBuilder backoffBase(Duration base) {
        this.backoffBase = Objects.requireNonNull(base, "backoffBase");
        return this;
    }

    public NodeAgentBuilder backoffCap(Duration cap) {
        this.backoffCap = Objects.requireNonNull(cap, "backoffCap");
        return this;
    }

    public NodeAgentBuilder heartbeatJitter(double fraction) {
        this.heartbeatJitter = fraction;
        return this;
    }

    public NodeAgentBuilder maxRegistrationsInFlight(int max) {
        this.maxRegistrationsInFlight = max;
        return this;
    }

    /** When true, {@link NodeAgent#close()} deletes the registered nodes; by default they just expire. */
    public NodeAgentBuilder deregisterOnClose(boolean deregister) {
        this.deregisterOnClose = deregister;
        return this;
    }

    /** A scheduler shared with other agents; the agent never shuts it down. Default: one daemon thread. */
    public NodeAgentBuilder scheduler(ScheduledExecutorService shared) {
        this.scheduler = Objects.requireNonNull(shared, "scheduler");
        return this;
    }

    /** An HTTP client shared with other agents; the agent never closes it. Default: its own, HTTP/1.1. */
    public NodeAgentBuilder httpClient(HttpClient shared) {
        this.httpClient = Objects.requireNonNull(shared, "httpClient");
        return this;
    }

    /** Read for {@code Retry-After} dates. */
    public NodeAgentBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Seeds backoff and heartbeat jitter. Default: unseeded. */
    public NodeAgentBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public NodeAgentBuilder listener(AgentListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Makes the agent take jobs: each registered node long-polls the gateway for assignments, runs them
     * through the handler and reports their results. Without a handler the agent never polls.
     */
    public NodeAgentBuilder jobs(JobHandler handler) {
        this.jobHandler = Objects.requireNonNull(handler, "jobs");
        return this;
    }

    /** How many jobs of one node run at once; by default one after another. */
    public NodeAgentBuilder jobConcurrency(int perNode) {
        this.jobConcurrency = perNode;
        return this;
    }

    /** How long the gateway may hold an assignment poll open when it has no work for the node ({@code waitMs}). */
    public NodeAgentBuilder assignmentWait(Duration wait) {
        this.assignmentWait = Objects.requireNonNull(wait, "assignmentWait");
        return this;
    }

    public NodeAgent build() {
        return new NodeAgent(config());
    }

    AgentConfig config() {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("NodeAgent needs at least one gateway URL of its region, but none was given");
        }
        gateways.forEach(NodeAgentBuilder::checkGateway);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("NodeAgent needs at least one node to serve, but none was given");
        }
        Set<String> ids = new HashSet<>();
        nodes.forEach(node -> {
            if (!ids.add(node.nodeId())) {
                throw new IllegalArgumentException("node id '" + node.nodeId() + "' is given twice");
            }
        });
        checkPositive("requestTimeout", requestTimeout);
        checkPositive("backoffBase", backoffBase);
        checkPositive("backoffCap", backoffCap);
        if (backoffBase.compareTo(backoffCap) > 0) {
            throw new IllegalArgumentException("backoffBase must not exceed backoffCap, but was "
                    + backoffBase.toMillis() + " ms > " + backoffCap.toMillis() + " ms");
        }
        if (!(heartbeatJitter >= 0 && heartbeatJitter < 1)) {
            throw new IllegalArgumentException("heartbeatJitter must be at least 0 and lower than 1, but was "
                    + heartbeatJitter);
        }
        if (maxRegistrationsInFlight < 1) {
            throw new IllegalArgumentException("maxRegistrationsInFlight must be at least 1, but was "
                    + maxRegistrationsInFlight);
        }
        if (jobConcurrency < 1) {
            throw new IllegalArgumentException("jobConcurrency must be at least 1, but was " + jobConcurrency);
        }
        if (assignmentWait.toMillis() < 1) {
            throw new IllegalArgumentException("assignmentWait must be at least 1 ms, but was " + assignmentWait);
        }
        return new AgentConfig(List.copyOf(gateways), List.copyOf(nodes), requestTimeout,
                new Backoff(backoffBase, backoffCap), heartbeatJitter, maxRegistrationsInFlight, deregisterOnClose,
                Optional.ofNullable(scheduler), Optional.ofNullable(httpClient), clock,
                seed == null ? new Random() : new Random(seed), listener,
                Optional.ofNullable(jobHandler).map(handler -> new JobConfig(handler, jobConcurrency, assignmentWait)));
    }

    private static void checkGateway(URI uri) {
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("gateway URL must be an absolute http or https URL, but was '" + uri + "'");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("gateway URL must have no query or fragment, but was '" + uri + "'");
        }
    }

    private static void checkPositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be greater than 0, but was " + value);
        }
    }
}

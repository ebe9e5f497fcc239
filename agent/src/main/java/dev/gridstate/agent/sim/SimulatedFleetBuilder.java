package dev.gridstate.agent.sim;

import dev.gridstate.agent.AgentListener;
import dev.gridstate.agent.JobHandler;
import dev.gridstate.agent.NodeAgentBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds a {@link SimulatedFleet}. At least one region is required; the rest has named defaults. */
public final class SimulatedFleetBuilder {

    public static final int DEFAULT_NODES_PER_REGION = 100;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_SCHEDULER_THREADS = 3;
    public static final int DEFAULT_MAX_GPUS_PER_AGENT = 8;
    public static final Duration DEFAULT_CHURN_PERIOD = Duration.ofSeconds(10);
    public static final double DEFAULT_CHURN_FRACTION = 0.1;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_START_SPREAD = Duration.ofSeconds(1);

    final Map<String, List<URI>> regions = new LinkedHashMap<>();
    int nodesPerRegion = DEFAULT_NODES_PER_REGION;
    long seed = DEFAULT_SEED;
    int schedulerThreads = DEFAULT_SCHEDULER_THREADS;
    int maxGpusPerAgent = DEFAULT_MAX_GPUS_PER_AGENT;
    Duration churnPeriod = DEFAULT_CHURN_PERIOD;
    double churnFraction = DEFAULT_CHURN_FRACTION;
    Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    Duration startSpread = DEFAULT_START_SPREAD;
    AgentListener listener = new AgentListener() { };
    JobHandler jobs;
    int jobConcurrency = NodeAgentBuilder.DEFAULT_JOB_CONCURRENCY;

    SimulatedFleetBuilder() {
    }

    /** A region and its gateway URLs; node ids start with the region name. */
    public SimulatedFleetBuilder region(String name, List<URI> gateways) {
        Objects.requireNonNull(name, "region");
        if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("region name must match [A-Za-z0-9._-]{1,100}, but was '" + name + "'");
        }
        if (gateways == null || gateways.isEmpty()) {
            throw new IllegalArgumentException("region '" + name + "' needs at least one gateway URL, but none was given");
        }
        if (regions.putIfAbsent(name, List.copyOf(gateways)) != null) {
            throw new IllegalArgumentException("region '" + name + "' is given twice");
        }
        return this;
    }

    public SimulatedFleetBuilder nodesPerRegion(int nodes) {
        this.nodesPerRegion = nodes;
        return this;
    }

    public SimulatedFleetBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    public SimulatedFleetBuilder schedulerThreads(int threads) {
        this.schedulerThreads = threads;
        return this;
    }

    /** Each agent serves between 1 and this many GPUs. */
    public SimulatedFleetBuilder maxGpusPerAgent(int max) {
        this.maxGpusPerAgent = max;
        return this;
    }

    /** How often some nodes flip between idle and busy. */
    public SimulatedFleetBuilder churnPeriod(Duration period) {
        this.churnPeriod = Objects.requireNonNull(period, "churnPeriod");
        return this;
    }

    /** The share of nodes that change on each churn tick. */
    public SimulatedFleetBuilder churnFraction(double fraction) {
        this.churnFraction = fraction;
        return this;
    }

    public SimulatedFleetBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
        return this;
    }

    /** Agents start at random moments within this span, as a real fleet would; zero starts all at once. */
    public SimulatedFleetBuilder startSpread(Duration spread) {
        this.startSpread = Objects.requireNonNull(spread, "startSpread");
        return this;
    }

    /** Receives the callbacks of every agent of the fleet. */
    public SimulatedFleetBuilder listener(AgentListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Makes every node of the fleet take jobs and run them through the handler; by default none poll. */
    public SimulatedFleetBuilder jobs(JobHandler handler) {
        this.jobs = Objects.requireNonNull(handler, "jobs");
        return this;
    }

    /** How many jobs of one simulated node run at once. */
    public SimulatedFleetBuilder jobConcurrency(int perNode) {
        this.jobConcurrency = perNode;
        return this;
    }

    public SimulatedFleet build() {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("SimulatedFleet needs at least one region, but none was given");
        }
        check(nodesPerRegion >= 1 && nodesPerRegion <= 9_999, "nodesPerRegion must be between 1 and 9999", nodesPerRegion);
        check(schedulerThreads >= 1 && schedulerThreads <= 64, "schedulerThreads must be between 1 and 64", schedulerThreads);
        check(maxGpusPerAgent >= 1, "maxGpusPerAgent must be at least 1", maxGpusPerAgent);
        check(jobConcurrency >= 1, "jobConcurrency must be at least 1", jobConcurrency);
        check(churnFraction >= 0 && churnFraction <= 1, "churnFraction must be between 0 and 1", churnFraction);
        check(!churnPeriod.isNegative() && !churnPeriod.isZero(), "churnPeriod must be greater than 0", churnPeriod);
        check(!startSpread.isNegative(), "startSpread must not be negative", startSpread);
        return new SimulatedFleet(this);
    }

    private static void check(boolean valid, String rule, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(rule + ", but was " + value);
        }
    }
}

package dev.gridstate.agent.sim;

import dev.gridstate.agent.AgentCounters;
import dev.gridstate.agent.NodeAgent;
import dev.gridstate.agent.NodeAgentBuilder;
import dev.gridstate.agent.NodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many simulated GPU nodes in one JVM: for every region, {@code nodesPerRegion} nodes made from a
 * seed (ids {@code <region>-node-0001} …), grouped into {@link NodeAgent}s of 1 to 8 GPUs that share
 * one scheduler and one HTTP client. While running, a fraction of the nodes flips between idle and
 * busy every churn period, so the gateway sees live change. Given a {@link dev.gridstate.agent.JobHandler}
 * every node also takes jobs. Start once; close stops every agent (the nodes then expire) and releases the
 * threads.
 */
public final class SimulatedFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedFleet.class);

    private final List<NodeAgent> agents = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final Churn churn;
    private final Random startRandom;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private final SimulatedFleetBuilder settings;

    SimulatedFleet(SimulatedFleetBuilder settings) {
        this.settings = settings;
        this.scheduler = scheduler(settings.schedulerThreads);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout)
                .build();
        Random random = new Random(settings.seed);
        this.churn = new Churn(settings.churnFraction, new Random(random.nextLong()));
        this.startRandom = new Random(random.nextLong());
        settings.regions.forEach((region, gateways) -> addRegion(region, gateways, random));
    }

    public static SimulatedFleetBuilder builder() {
        return new SimulatedFleetBuilder();
    }

    /** The model names simulated nodes serve (each node one or more of them), e.g. for the queues of their jobs. */
    public static List<String> models() {
        return NodeCatalog.MODELS.stream().map(NodeSpec.Model::name).toList();
    }

    /** Starts every agent (spread over the start spread) and the churn; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("SimulatedFleet of regions " + settings.regions.keySet()
                    + " is already started");
        }
        long spread = settings.startSpread.toNanos();
        agents.forEach(agent -> scheduler.schedule(() -> startAgent(agent),
                spread == 0 ? 0 : startRandom.nextLong(spread), TimeUnit.NANOSECONDS));
        long period = settings.churnPeriod.toNanos();
        scheduler.scheduleAtFixedRate(this::churn, period, period, TimeUnit.NANOSECONDS);
        log.info("simulated fleet started: {} nodes in {} agents across regions {}", nodeIds().size(), agents.size(),
                settings.regions.keySet());
    }

    public List<String> nodeIds() {
        return agents.stream().flatMap(agent -> agent.nodeIds().stream()).toList();
    }

    public int agentCount() {
        return agents.size();
    }

    public long registeredNodes() {
        return agents.stream()
                .mapToLong(agent -> agent.nodeIds().stream().filter(agent::isRegistered).count())
                .sum();
    }

    /** The counters of all agents, summed. */
    public AgentCounters counters() {
        return agents.stream().map(NodeAgent::counters).reduce(AgentCounters.ZERO, AgentCounters::plus);
    }

    @Override
    public void close() {
        closed = true;
        agents.forEach(NodeAgent::close);
        scheduler.shutdownNow();
        http.shutdownNow();
        log.info("simulated fleet closed; counters {}", counters());
    }

    List<NodeAgent> agents() {
        return List.copyOf(agents);
    }

    private void addRegion(String region, List<URI> gateways, Random random) {
        List<NodeSpec> nodes = NodeCatalog.nodes(region, settings.nodesPerRegion, random);
        for (int from = 0; from < nodes.size(); ) {
            int size = Math.min(nodes.size() - from, 1 + random.nextInt(settings.maxGpusPerAgent));
            List<NodeSpec> group = nodes.subList(from, from + size);
            NodeAgentBuilder builder = NodeAgent.builder()
                    .gateways(gateways)
                    .nodes(group)
                    .scheduler(scheduler)
                    .httpClient(http)
                    .requestTimeout(settings.requestTimeout)
                    .seed(random.nextLong())
                    .listener(settings.listener);
            if (settings.jobs != null) {
                builder.jobs(settings.jobs).jobConcurrency(settings.jobConcurrency);
            }
            NodeAgent agent = builder.build();
            group.forEach(spec -> churn.add(agent, spec.nodeId(), spec.gpu().memoryMb()));
            agents.add(agent);
            from += size;
        }
    }

    private void startAgent(NodeAgent agent) {
        if (closed) {
            return;
        }
        try {
            agent.start();
        } catch (IllegalStateException e) {
            // the fleet closed between the check and the start
            log.debug("agent {} not started: {}", agent.nodeIds(), e.getMessage());
        }
    }

    private void churn() {
        try {
            int changed = churn.tick();
            log.debug("churn changed {} nodes", changed);
        } catch (RuntimeException e) {
            // an exception would silently cancel the periodic task
            log.error("simulated churn failed; it will run again next period", e);
        }
    }

    private static ScheduledExecutorService scheduler(int threads) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, "sim-fleet-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}

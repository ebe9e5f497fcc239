package dev.gridstate.gateway.jobs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.gridstate.gateway.replication.Durability;
import dev.gridstate.gateway.store.Source;
import dev.gridstate.state.Keys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Consumes the region's job queues and sees every job it holds through to its end.
 *
 * <p>A delivered job is held, unacknowledged, while it waits for an eligible idle node and
 * while a node runs it: the claim takes the node out of routing, the assignment goes to the
 * node's inbox, and the attempt has a lease the node renews. The message is acknowledged only
 * once the job's result is stored. A reported failure or a lease that ran out ends the attempt
 * and the message is returned to its queue (the broker counts the delivery); its next delivery,
 * here or on another replica, tries again on another node if there is one, or dead-letters the
 * job once its attempts are used up. A replica that dies returns what it held the same way, and
 * the next holder adopts attempts that are still running. A job record lost with its Redis is
 * put back from what the holder knows.
 *
 * <p>A graceful shutdown (SIGTERM) drains: the consumers are cancelled, so the broker sends
 * this replica nothing more, jobs still waiting for a node go back to their queues at once for
 * the other replicas, and attempts running on nodes are seen through to their results, for as
 * long as the shutdown's grace period lasts; what is still held then goes back with the
 * connection, and the next holder adopts the attempts still running.
 *
 * <p>One thread owns all of this; Redis calls are asynchronous and come back to it.
 */
@Context
@Requires(property = "gateway.jobs.enabled", notEquals = "false")
public class JobDispatcher implements GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
    private static final long WAIT_RETRY_MS = 200;
    private static final long ERROR_RETRY_MS = 250;
    private static final long RECONNECT_MS = 1_000;
    private static final int MAX_CALLS = 32;
    private static final long LOG_EVERY_MS = 10_000;
    /** Waiting jobs take free nodes highest priority first, then oldest first. */
    private static final Comparator<Held> FIRST_IN_LINE =
            Comparator.comparingInt((Held h) -> -h.job.priority()).thenComparingLong(h -> h.arrived);

    enum Phase { WAITING, ASSIGNED }

    /** One delivery this replica holds. */
    static final class Held {
        final Channel channel;
        final long tag;
        final JobMessage job;
        final long arrived;
        Phase phase = Phase.WAITING;
        long nextTry;
        boolean busy;
        boolean delivered;
        long attempt;
        String node;
        String claimId = "";
        long leaseUntil;

        Held(Channel channel, long tag, JobMessage job, long arrived) {
            this.channel = channel;
            this.tag = tag;
            this.job = job;
            this.arrived = arrived;
        }
    }

    private final JobSettings settings;
    private final JobStore store;
    private final Durability durability;
    private final Keys keys;
    private final JobTopology topology;
    private final ConnectionFactory factory;
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-dispatch").daemon().factory());
    private final List<Held> held = new ArrayList<>();
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Map<String, Channel> consuming = new HashMap<>();
    private final Map<String, String> consumerTags = new HashMap<>();
    private final Counter assigned;
    private final Counter succeeded;
    private final Counter returned;
    private final Counter dead;
    private Connection connection;
    private long nextConnect;
    private long nextReconcile;
    private long lastErrorLog;
    private int calls;
    private volatile boolean running;
    private volatile boolean draining;
    /** {@link #held} by phase, counted by the dispatch thread at the end of each tick for the gauges. */
    private volatile int heldWaiting;
    private volatile int heldAssigned;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    JobDispatcher(JobSettings settings, JobStore store, Durability durability, Keys keys,
                  JobSignals signals, MeterRegistry metrics, @Value("${rabbitmq.uri}") String uri) {
        this.settings = settings;
        this.store = store;
        this.durability = durability;
        this.keys = keys;
        this.topology = JobTopology.of(settings, keys.region());
        this.factory = Broker.connections(uri);
        this.wanted.addAll(settings.models());
        signals.onDone((jobId, model) -> post(() -> done(jobId, model)));
        signals.onMissed(() -> post(() -> nextReconcile = 0));
        this.assigned = Counter.builder("gateway.jobs.assigned").description("attempts handed to nodes").register(metrics);
        this.succeeded = Counter.builder("gateway.jobs.acked").description("jobs whose message was acknowledged: finished").register(metrics);
        this.returned = Counter.builder("gateway.jobs.returned").description("deliveries returned to the queue for another attempt").register(metrics);
        this.dead = Counter.builder("gateway.jobs.dead").description("jobs dead-lettered").register(metrics);
        Gauge.builder("gateway.jobs.held", () -> heldWaiting).tag("phase", "waiting")
                .description("deliveries this replica holds, by whether a node has them yet").register(metrics);
        Gauge.builder("gateway.jobs.held", () -> heldAssigned).tag("phase", "assigned")
                .description("deliveries this replica holds, by whether a node has them yet").register(metrics);
    }

    @PostConstruct
    void start() {
        running = true;
        loop.scheduleWithFixedDelay(this::tick, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A model jobs were submitted for here: consume its queue from the next tick on. */
    void want(String model) {
        if (wanted.add(model)) {
            post(() -> nextReconcile = 0);
        }
    }

    /** Deliveries held now (for tests and status). */
    public int held() {
        return held.size();
    }

    /** Whether the dispatcher's connection to the broker is open. */
    public boolean connected() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /**
     * Runs nothing else on the dispatch thread until {@code released} counts down, 30 s at most:
     * for tests of what a holder that has not yet seen a job's end leaves to others.
     */
    void holdUntil(CountDownLatch released) {
        post(() -> {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        post(this::drain);
        if (loop.isShutdown()) {
            drained.complete(null);
        }
        return drained;
    }

    @Override
    public OptionalLong reportActiveTasks() {
        return OptionalLong.of(held.size());
    }

    @PreDestroy
    void stop() {
        drained.complete(null);
        running = false;
        try {
            loop.submit(this::disconnect).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("jobs: stopping the dispatcher: {}", e.toString());
        }
        loop.shutdownNow();
    }

    /** Runs {@code action} on the dispatch thread; nothing once the dispatcher stopped (the broker has what it held). */
    private void post(Runnable action) {
        try {
            loop.execute(action);
        } catch (RejectedExecutionException stopped) {
            // stopping: deliveries not handled go back to their queues with the connection
        }
    }

    private void tick() {
        try {
            if (!running) {
                return;
            }
            long now = System.currentTimeMillis();
            if (connection == null || !connection.isOpen()) {
                if (now < nextConnect) {
                    return;
                }
                connect(now);
                if (connection == null) {
                    return;
                }
            }
            if (now >= nextReconcile) {
                nextReconcile = now + settings.reconcileInterval().toMillis();
                refreshModels();
                reconcile();
            }
            if (draining) {
                drain();
            } else {
                dispatchWaiting(now);
            }
            for (Held h : List.copyOf(held)) {
                if (h.phase != Phase.ASSIGNED || h.busy || calls >= MAX_CALLS) {
                    continue;
                }
                if (!h.delivered) {
                    deliver(h);
                } else if (now >= h.leaseUntil) {
                    expire(h);
                }
            }
        } catch (RuntimeException e) {
            logError("jobs: dispatch tick failed", e);
        } finally {
            int assignedNow = (int) held.stream().filter(h -> h.phase == Phase.ASSIGNED).count();
            heldAssigned = assignedNow;
            heldWaiting = held.size() - assignedNow;
        }
    }

    /**
     * One step of a graceful shutdown, on the dispatch thread: stop consuming (once), return the
     * jobs no node has yet, and complete {@link #drained} once nothing is held.
     */
    private void drain() {
        if (!draining) {
            draining = true;
            for (Map.Entry<String, Channel> c : consuming.entrySet()) {
                try {
                    c.getValue().basicCancel(consumerTags.get(c.getKey()));
                } catch (Exception e) {
                    logError("jobs: cannot cancel the consumer of model " + c.getKey() + " (its deliveries are returned)", e);
                }
            }
            LOG.info("jobs: shutting down: stopped consuming; {} job(s) held, {} of them running on nodes", held.size(),
                    held.stream().filter(h -> h.phase == Phase.ASSIGNED).count());
        }
        for (Held h : List.copyOf(held)) {
            if (h.phase == Phase.WAITING && !h.busy) {
                finish(h, false);
            }
        }
        if (held.isEmpty() || connection == null) {
            drained.complete(null);
        }
    }

    private void dispatchWaiting(long now) {
        List<Held> due = held.stream()
                .filter(h -> h.phase == Phase.WAITING && !h.busy && h.nextTry <= now)
                .sorted(FIRST_IN_LINE)
                .toList();
        for (Held h : due) {
            if (calls >= MAX_CALLS) {
                return;
            }
            dispatch(h);
        }
    }

    private void connect(long now) {
        try {
            connection = factory.newConnection("gateway-" + topology.region() + "-jobs-dispatch");
            connection.addShutdownListener(cause -> post(() -> lost(cause.getMessage())));
            consuming.clear();
            for (String model : wanted) {
                consume(model);
            }
            LOG.info("jobs: consuming {} model queue(s) of region {}", consuming.size(), topology.region());
        } catch (Exception e) {
            nextConnect = now + RECONNECT_MS;
            logError("jobs: cannot reach the broker, trying again every second", e);
            disconnect();
        }
    }

    private void consume(String model) throws Exception {
        Channel channel = connection.createChannel();
        channel.basicQos(settings.prefetch());
        topology.declare(channel, model);
        channel.addShutdownListener(cause -> {
            if (!cause.isHardError()) {
                post(() -> channelLost(model, channel, cause.getMessage()));
            }
        });
        String tag = channel.basicConsume(topology.queue(model), false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                post(() -> accept(channel, envelope.getDeliveryTag(), props, body));
            }

            @Override
            public void handleCancel(String consumerTag) {
                // the queue was deleted, or the broker moved it: consume again on the next refresh
                post(() -> channelLost(model, channel, "the broker cancelled the consumer"));
            }
        });
        consuming.put(model, channel);
        consumerTags.put(model, tag);
    }

    /**
     * One model's channel closed while the connection lives (the broker's consumer timeout on a
     * very long job, a cancelled consumer): the broker returns what it delivered on it, and the
     * next refresh consumes the queue again.
     */
    private void channelLost(String model, Channel channel, String cause) {
        if (consuming.get(model) != channel) {
            return;
        }
        consuming.remove(model);
        long dropped = held.stream().filter(h -> h.channel == channel).count();
        held.removeIf(h -> h.channel == channel);
        LOG.warn("jobs: the channel of model {} closed ({}); {} held job(s) go back to the queue", model, cause, dropped);
        if (channel.isOpen()) {
            try {
                channel.abort();
            } catch (Exception ignored) {
                // closing what is closing
            }
        }
    }

    /** The broker connection is gone: the broker returns every unacknowledged delivery by itself. */
    private void lost(String cause) {
        if (!held.isEmpty()) {
            LOG.warn("jobs: broker connection lost ({}); the broker returns the {} job(s) held here to their queues", cause, held.size());
        }
        held.clear();
        consuming.clear();
        connection = null;
        nextConnect = System.currentTimeMillis() + (running ? 100 : Long.MAX_VALUE / 2);
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        held.clear();
        consuming.clear();
        if (c != null) {
            try {
                c.abort(2_000);
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private void refreshModels() {
        track(store.models(), models -> {
            wanted.addAll(models);
            for (String model : wanted) {
                if (!consuming.containsKey(model) && connection != null && !draining) {
                    try {
                        consume(model);
                    } catch (Exception e) {
                        logError("jobs: cannot consume the queue of model " + model, e);
                    }
                }
            }
        }, null);
    }

    private void accept(Channel channel, long tag, AMQP.BasicProperties props, byte[] body) {
        if (!channel.isOpen() || !running) {
            return;
        }
        if (draining) {
            // sent before the broker saw the cancel: another replica takes it
            settle(channel, tag, false, true);
            return;
        }
        JobMessage job = JobMessage.from(props, body);
        if (job == null) {
            LOG.warn("jobs: a message without a job's properties (id {}); dead-lettering it", props.getMessageId());
            settle(channel, tag, false, false);
            return;
        }
        Held h = new Held(channel, tag, job, System.currentTimeMillis());
        held.add(h);
        if (calls < MAX_CALLS) {
            dispatch(h);
        }
    }

    private void dispatch(Held h) {
        String claimId = JobStore.claimId();
        call(h, store.dispatch(h.job, claimId), d -> {
            switch (d.outcome()) {
                // finished before this delivery (a redelivery after a lost ack, or a duplicate message)
                case "done" -> act(h, new JobStore.Seen(d.state(), 0, false, d.source()));
                case "adopt" -> {
                    assign(h, d);
                    h.delivered = d.delivered();
                }
                case "assigned" -> {
                    assigned.increment();
                    assign(h, d);
                    deliver(h);
                }
                case "dead" -> durable(h, d.source(), () -> {
                    dead.increment();
                    LOG.info("jobs: job {} is dead: {}", h.job.jobId(), d.reason());
                    deadLetter(h);
                });
                default -> h.nextTry = System.currentTimeMillis() + WAIT_RETRY_MS;
            }
        });
    }

    private static void assign(Held h, JobStore.Dispatch d) {
        h.phase = Phase.ASSIGNED;
        h.attempt = d.attempt();
        h.node = d.node();
        h.leaseUntil = d.leaseUntil();
        h.claimId = d.claimId();
    }

    private void deliver(Held h) {
        call(h, store.deliver(h.job, h.node, h.attempt, h.leaseUntil), ok -> h.delivered = true);
    }

    private void expire(Held h) {
        call(h, store.expire(h.job.jobId()), seen -> act(h, seen));
    }

    /**
     * A signal: an attempt of this job (of {@code model}, if named) ended somewhere. Its node may
     * be free now: the first waiting job of the model tries at once; the others keep their turn
     * (every {@value #WAIT_RETRY_MS} ms), so one freed node does not cost a claim attempt per
     * waiting job.
     */
    private void done(String jobId, String model) {
        List<Held> mine = held.stream().filter(h -> h.phase == Phase.ASSIGNED && h.job.jobId().equals(jobId)).toList();
        if (!mine.isEmpty()) {
            check(mine);
        }
        held.stream()
                .filter(h -> h.phase == Phase.WAITING && !h.busy && (model == null || h.job.model().equals(model)))
                .min(FIRST_IN_LINE)
                .ifPresent(next -> {
                    if (calls < MAX_CALLS) {
                        dispatch(next);
                    }
                });
    }

    private void reconcile() {
        List<Held> assignedNow = held.stream().filter(h -> h.phase == Phase.ASSIGNED && !h.busy).toList();
        for (int i = 0; i < assignedNow.size(); i += 100) {
            check(assignedNow.subList(i, Math.min(assignedNow.size(), i + 100)));
        }
    }

    private void check(List<Held> batch) {
        List<Held> ready = batch.stream().filter(h -> !h.busy).toList();
        if (ready.isEmpty()) {
            return;
        }
        ready.forEach(h -> h.busy = true);
        calls++;
        store.states(ready.stream().map(h -> h.job.jobId()).distinct().toList()).whenCompleteAsync((states, error) -> {
            calls--;
            ready.forEach(h -> h.busy = false);
            if (error != null) {
                logError("jobs: cannot read the state of held jobs", error);
                return;
            }
            for (Held h : ready) {
                JobStore.Seen seen = states.get(h.job.jobId());
                if (held.contains(h) && seen != null) {
                    act(h, seen);
                }
            }
        }, loop);
    }

    /** What a held, assigned job's state means for its message. */
    private void act(Held h, JobStore.Seen seen) {
        switch (seen.state()) {
            case "succeeded" -> {
                if (seen.recovered()) {
                    call(h, store.fill(h.job), ok -> durable(h, seen.source(), () -> {
                        succeeded.increment();
                        finish(h, true);
                    }));
                } else {
                    durable(h, seen.source(), () -> {
                        succeeded.increment();
                        finish(h, true);
                    });
                }
            }
            // dead, and this delivery was not dead-lettered yet (its holder stopped first, or a
            // duplicate message): to the dead-letter queue too; operators may see it twice, never not at all
            case "dead" -> durable(h, seen.source(), () -> deadLetter(h));
            case "assigned" -> h.leaseUntil = Math.max(seen.leaseUntil(), h.leaseUntil);
            case "" -> call(h, store.restore(h.job, h.node, h.attempt, h.leaseUntil, h.claimId), restored -> {
                if (restored) {
                    LOG.info("jobs: put back the record of job {} (attempt {} on node {}), lost with its Redis",
                            h.job.jobId(), h.attempt, h.node);
                }
            });
            default -> { // failed (or queued): another attempt, through the queue
                returned.increment();
                finish(h, false);
            }
        }
    }

    /**
     * Runs {@code then} once the job's final status, seen on {@code seenOn}, is on central or in
     * the change log's queue: the message is the job's only durable copy until then, so it is
     * not given up before. Seen on central, it is there. Seen on the regional Redis, it is
     * exported from there, and only if that Redis still shows the job ended: one lost since
     * (and refilled, or not) no longer does, and the job stays held; the next look reads what
     * is left of it and goes on from there.
     */
    private void durable(Held h, Source seenOn, Runnable then) {
        call(h, durability.writeThrough(keys.job(h.job.jobId()), seenOn, store::showsEnded), ok -> then.run());
    }

    private void finish(Held h, boolean ack) {
        remove(h);
        if (ack) {
            try {
                h.channel.basicAck(h.tag, false);
            } catch (Exception e) {
                logError("jobs: cannot acknowledge job " + h.job.jobId() + " (the broker will deliver it again; it is done)", e);
            }
        } else {
            settle(h.channel, h.tag, false, true);
        }
    }

    private void deadLetter(Held h) {
        remove(h);
        settle(h.channel, h.tag, false, false);
    }

    private void remove(Held h) {
        held.remove(h);
    }

    private void settle(Channel channel, long tag, boolean ack, boolean requeue) {
        try {
            if (ack) {
                channel.basicAck(tag, false);
            } else {
                channel.basicNack(tag, false, requeue);
            }
        } catch (Exception e) {
            logError("jobs: cannot return a delivery (the broker returns it when the channel closes)", e);
        }
    }

    /** Runs a Redis call for a held job; its outcome is handled on the dispatch thread. */
    private <T> void call(Held h, CompletionStage<T> stage, java.util.function.Consumer<T> then) {
        h.busy = true;
        track(stage, value -> {
            h.busy = false;
            if (held.contains(h)) {
                then.accept(value);
            }
        }, h);
    }

    private <T> void track(CompletionStage<T> stage, java.util.function.Consumer<T> then, Held h) {
        calls++;
        stage.whenCompleteAsync((value, error) -> {
            calls--;
            if (error != null) {
                if (h != null) {
                    h.busy = false;
                    h.nextTry = System.currentTimeMillis() + ERROR_RETRY_MS;
                }
                logError("jobs: a state call failed; trying again", error);
                return;
            }
            then.accept(value);
        }, loop);
    }

    private void logError(String what, Throwable e) {
        long now = System.currentTimeMillis();
        if (now - lastErrorLog >= LOG_EVERY_MS) {
            lastErrorLog = now;
            LOG.warn("{}: {}", what, e.toString());
        }
    }
}

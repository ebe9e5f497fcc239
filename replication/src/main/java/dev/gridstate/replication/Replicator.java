package dev.gridstate.replication;

import com.rabbitmq.client.Connection;
import dev.gridstate.replication.apply.Sleeper;
import dev.gridstate.replication.apply.Throttle;
import dev.gridstate.replication.broker.BrokerConnection;
import dev.gridstate.replication.broker.QueueDepthProbe;
import dev.gridstate.replication.broker.RegionConsumer;
import dev.gridstate.replication.central.CentralStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs replication for every configured region: connects to the broker (retrying until it can),
 * subscribes each region's queue, applies on one thread per region, and keeps the queue counts
 * and subscriptions fresh. Stops within about {@code shutdown-grace} plus the broker's close
 * timeout, whether or not central and the broker answer.
 */
@Context
public final class Replicator {

    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    private final ReplicationSettings settings;
    private final RetrySettings retry;
    private final BrokerConnection broker;
    private final Clock clock;
    private final List<Region> regions;
    private final QueueDepthProbe probe;
    private final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("replicator-monitor").daemon().unstarted(r));
    private volatile boolean running;
    private Thread connector;

    Replicator(ReplicationSettings settings, RetrySettings retry, BrokerConnection broker, CentralStore central,
               MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.retry = retry;
        this.broker = broker;
        this.clock = clock;
        this.regions = settings.regions().stream()
                .map(name -> new Region(name, settings, retry, central, registry, clock))
                .toList();
        this.probe = new QueueDepthProbe(broker, regions.stream().map(Region::consumer).toList(),
                new Throttle(clock, retry.logInterval()));
    }

    @PostConstruct
    void start() {
        running = true;
        regions.forEach(Region::startApplying);
        connector = Thread.ofPlatform().name("replicator-connect").daemon().start(this::connectAndSubscribe);
        LOG.info("replicating regions {} from exchange {} (queues {}<region>) to central", settings.regions(),
                settings.exchange(), settings.queuePrefix());
    }

    @PreDestroy
    void stop() {
        running = false;
        if (connector != null) {
            connector.interrupt();
        }
        monitor.shutdownNow();
        regions.forEach(Region::stopApplying);
        try {
            long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
            for (Region region : regions) {
                region.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        regions.forEach(r -> r.consumer().close());
        probe.close();
        broker.close();
        LOG.info("replicator stopped");
    }

    /** Every region's status, in the configured order. */
    public List<RegionStatus> status() {
        return regions.stream().map(Region::status).toList();
    }

    /** Connected to the broker and subscribed to every region's queue. */
    public boolean consumingAll() {
        return broker.isOpen() && regions.stream().allMatch(r -> r.consumer().consuming());
    }

    public BrokerConnection broker() {
        return broker;
    }

    private void connectAndSubscribe() {
        try {
            Optional<Connection> connection = broker.open(() -> running, retry.backoff(), Sleeper.THREAD,
                    new Throttle(clock, retry.logInterval()));
            if (connection.isEmpty()) {
                return;
            }
            if (!running) {
                broker.close();
                return;
            }
            for (Region region : regions) {
                subscribe(region, connection.get());
            }
            long every = settings.waitingRefresh().toMillis();
            monitor.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException stopping) {
            LOG.debug("stopped while subscribing: no queue counts scheduled");
        }
    }

    private void subscribe(Region region, Connection connection) {
        try {
            region.subscribe(connection);
        } catch (IOException | RuntimeException e) {
            // The monitor tries again every waiting-refresh.
            LOG.error("region {}: cannot subscribe to queue {} ({}); trying again", region.name(),
                    region.consumer().queue(), e.toString());
        }
    }

    private void refresh() {
        try {
            probe.refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot refresh queue counts ({})", e.toString());
        }
    }
}

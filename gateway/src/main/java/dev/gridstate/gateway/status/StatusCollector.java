package dev.gridstate.gateway.status;

import dev.gridstate.gateway.GatewayConfig;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Takes one {@link StatusSnapshot}: every part at once, each within {@code part-timeout}, so one
 * that hangs (a stopped Redis) shows as unavailable and the rest as they are. Called by one thread
 * only ({@link StatusStream}'s), since the census and the flag listing walk on between calls.
 */
@Singleton
class StatusCollector {

    private static final String[] STATES = {"idle", "busy", "draining", "other"};

    private final String region;
    private final StatusSettings settings;
    private final RedisProbe redis;
    private final BrokerProbe broker;
    private final ReplicationProbe replication;
    private final NodeCensus census;
    private final IndexSizes sizes;
    private final FlagScan flags;
    private final DeadJobList deadJobs;

    StatusCollector(GatewayConfig config, StatusSettings settings, RedisProbe redis, BrokerProbe broker,
                    ReplicationProbe replication, NodeCensus census, IndexSizes sizes, FlagScan flags, DeadJobList deadJobs) {
        this.region = config.region();
        this.settings = settings;
        this.redis = redis;
        this.broker = broker;
        this.replication = replication;
        this.census = census;
        this.sizes = sizes;
        this.flags = flags;
        this.deadJobs = deadJobs;
    }

    /**
     * Only the census's share of a snapshot, when nobody watches: the node counts by state stay
     * current for the metrics ({@link NodeMetrics}). Blocks for half of {@code part-timeout} at most.
     */
    void countNodes() {
        census.advance(settings.perSnapshot(settings.censusRate()), System.nanoTime() + settings.partTimeout().toNanos() / 2);
    }

    /** Blocks for {@code part-timeout} at most. */
    StatusSnapshot collect() {
        Duration timeout = settings.partTimeout();
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        CompletableFuture<StatusSnapshot.Store> store = redis.probe();
        CompletableFuture<StatusSnapshot.Broker> rabbit = broker.probe();
        CompletableFuture<StatusSnapshot.Replication> changeLog = replication.probe();
        CompletableFuture<Parts.Reading<List<StatusSnapshot.DeadJob>>> dead = Parts.reading(deadJobs.newest(), timeout);

        // The walks take turns on this thread: half the time for the census, then the flags.
        census.advance(settings.perSnapshot(settings.censusRate()), start + timeout.toNanos() / 2);
        List<String> known = census.models();
        List<String> shown = known.size() > settings.maxModels() ? known.subList(0, settings.maxModels()) : known;
        CompletableFuture<Parts.Reading<IndexSizes.Sizes>> counted =
                Parts.reading(sizes.read(shown), Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
        flags.advance(settings.perSnapshot(settings.flagScanRate()), start + timeout.toNanos() * 3 / 4);

        Parts.Reading<IndexSizes.Sizes> indexes = counted.join();
        return new StatusSnapshot(region, System.currentTimeMillis(), settings.interval().toMillis(), store.join(),
                rabbit.join(), changeLog.join(), nodes(indexes, shown, known.size() - shown.size()), flags(),
                deadJobs(indexes, dead.join()));
    }

    private StatusSnapshot.Nodes nodes(Parts.Reading<IndexSizes.Sizes> indexes, List<String> shown, int notShown) {
        NodeCensus.Counts counts = census.last();
        IndexSizes.Sizes live = indexes.value();
        List<StatusSnapshot.ModelCount> models = new ArrayList<>(shown.size());
        for (String model : shown) {
            long[] size = live == null ? null : live.perModel().get(model);
            long[] states = counts == null ? null : counts.byModel().getOrDefault(model, new long[4]);
            models.add(new StatusSnapshot.ModelCount(model, size == null ? null : size[0], size == null ? null : size[1],
                    at(states, 0), at(states, 1), at(states, 2), at(states, 3)));
        }
        Map<String, Long> states = null;
        if (counts != null) {
            states = new LinkedHashMap<>();
            for (int i = 0; i < STATES.length; i++) {
                states.put(STATES[i], counts.total()[i]);
            }
        }
        StatusSnapshot.Census walk = new StatusSnapshot.Census(counts == null ? null : counts.countedAt(),
                counts == null ? null : counts.tookMs(), counts == null ? 0 : counts.nodes(), census.progress());
        return new StatusSnapshot.Nodes(live == null ? null : live.source().wire(), live == null ? null : live.online(),
                states, models, notShown > 0 ? notShown : null, walk,
                join(indexes.error() == null ? null : "the live counts failed: " + indexes.error(), census.error()));
    }

    private StatusSnapshot.Flags flags() {
        FlagScan.Found found = flags.last();
        if (found == null) {
            // Before the first complete pass: nothing to show yet, or why not.
            return new StatusSnapshot.Flags(null, null, null, null, flags.error());
        }
        return new StatusSnapshot.Flags(found.total(), found.byKind(), found.recent(), found.scannedAt(), flags.error());
    }

    private static StatusSnapshot.DeadJobs deadJobs(Parts.Reading<IndexSizes.Sizes> indexes,
                                                    Parts.Reading<List<StatusSnapshot.DeadJob>> newest) {
        return new StatusSnapshot.DeadJobs(indexes.value() == null ? null : indexes.value().deadJobs(), newest.value(),
                newest.error() == null ? null : "the dead jobs could not be read: " + newest.error());
    }

    private static Long at(long[] counts, int i) {
        return counts == null ? null : counts[i];
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }
}

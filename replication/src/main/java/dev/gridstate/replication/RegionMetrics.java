package dev.gridstate.replication;

import dev.gridstate.replication.apply.Delivery;
import dev.gridstate.replication.apply.Progress;
import dev.gridstate.state.ChangeLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One region's meters (tag {@code region}) and the figures of its status. Lag is measured per
 * message, from when its oldest change was made (the {@code since} header) to when central had it.
 */
final class RegionMetrics implements Progress {

    static final String LAG = "replication.lag";
    static final String MESSAGES_APPLIED = "replication.messages.applied";
    static final String ENTITIES_APPLIED = "replication.entities.applied";
    static final String ENTITIES_UNCHANGED = "replication.entities.unchanged";
    static final String MESSAGES_REJECTED = "replication.messages.rejected";
    static final String APPLY_RETRIES = "replication.apply.retries";
    static final String WAITING = "replication.waiting";
    static final String APPLIED_VERSION = "replication.applied.version";
    private static final double P50 = 0.5;
    private static final double P99 = 0.99;

    private final Clock clock;
    private final Timer lag;
    private final Counter messagesApplied;
    private final Counter entitiesApplied;
    private final Counter entitiesUnchanged;
    private final Counter messagesRejected;
    private final Counter retries;
    private final AtomicLong newestVersion = new AtomicLong();
    private final AtomicLong lastAppliedAt = new AtomicLong();

    /** A snapshot of the figures, for the status endpoint; lag in ms, null before the first message. */
    record Figures(long appliedMessages, long appliedEntities, long unchangedEntities, long rejectedMessages,
                   long retries, String lastAppliedVersion, Instant lastAppliedAt,
                   Double lagP50Ms, Double lagP99Ms, Double lagMaxMs) {
    }

    RegionMetrics(String region, MeterRegistry registry, Clock clock, LongSupplier waiting) {
        this.clock = clock;
        Tags tags = Tags.of("region", region);
        this.lag = Timer.builder(LAG).tags(tags)
                .description("from the oldest change a message carries to central having it")
                .publishPercentiles(P50, P99)
                .register(registry);
        this.messagesApplied = Counter.builder(MESSAGES_APPLIED).tags(tags)
                .description("change-log messages central has").register(registry);
        this.entitiesApplied = Counter.builder(ENTITIES_APPLIED).tags(tags)
                .description("entities written on central (newer than what it held)").register(registry);
        this.entitiesUnchanged = Counter.builder(ENTITIES_UNCHANGED).tags(tags)
                .description("entities left as they were (central held that version or a newer one)").register(registry);
        this.messagesRejected = Counter.builder(MESSAGES_REJECTED).tags(tags)
                .description("messages central refused; dropped").register(registry);
        this.retries = Counter.builder(APPLY_RETRIES).tags(tags)
                .description("apply attempts that got no answer from central; retried").register(registry);
        Gauge.builder(WAITING, waiting, s -> s.getAsLong()).tags(tags)
                .description("messages ready in the region's queue plus those delivered and not yet applied")
                .register(registry);
        Gauge.builder(APPLIED_VERSION, newestVersion, AtomicLong::get).tags(tags)
                .description("the newest version central applied for the region").register(registry);
    }

    @Override
    public void applied(List<Delivery> messages, ChangeLog.Applied result) {
        long now = clock.millis();
        for (Delivery message : messages) {
            message.since().ifPresent(since -> lag.record(Math.max(0, now - since), TimeUnit.MILLISECONDS));
        }
        messagesApplied.increment(messages.size());
        entitiesApplied.increment(result.applied());
        entitiesUnchanged.increment(result.unchanged());
        newestVersion.accumulateAndGet(parseVersion(result.newest()), Math::max);
        lastAppliedAt.set(now);
    }

    @Override
    public void rejected(Delivery message, RuntimeException reason) {
        messagesRejected.increment();
    }

    @Override
    public void retrying(RuntimeException reason) {
        retries.increment();
    }

    Figures figures() {
        HistogramSnapshot snapshot = lag.takeSnapshot();
        boolean measured = lag.count() > 0;
        long newest = newestVersion.get();
        long at = lastAppliedAt.get();
        return new Figures((long) messagesApplied.count(), (long) entitiesApplied.count(),
                (long) entitiesUnchanged.count(), (long) messagesRejected.count(), (long) retries.count(),
                newest > 0 ? Long.toString(newest) : null, at > 0 ? Instant.ofEpochMilli(at) : null,
                measured ? percentile(snapshot, P50) : null, measured ? percentile(snapshot, P99) : null,
                measured ? snapshot.max(TimeUnit.MILLISECONDS) : null);
    }

    private static Double percentile(HistogramSnapshot snapshot, double percentile) {
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            if (value.percentile() == percentile) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        return null;
    }

    /** Versions are decimal longs; the script returns "0" for a call without messages. */
    private static long parseVersion(String version) {
        if (version == null) {
            return 0;
        }
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException notDecimal) {
            return 0;
        }
    }
}

package dev.gridstate.replication;

import dev.gridstate.replication.apply.Delivery;
import dev.gridstate.state.ChangeLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class RegionMetricsTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RegionMetrics metrics = new RegionMetrics("eu-west", registry, Clock.fixed(NOW, ZoneOffset.UTC), () -> 7);

    @Test
    void measuresLagPerMessageFromItsOldestChangeToNow() {
        metrics.applied(List.of(delivery(1, NOW.toEpochMilli() - 300), delivery(2, NOW.toEpochMilli() - 1200),
                delivery(3, null)), new ChangeLog.Applied(5, 2, "1700000000000002"));

        RegionMetrics.Figures figures = metrics.figures();
        assertThat(registry.get(RegionMetrics.LAG).tag("region", "eu-west").timer().count()).isEqualTo(2);
        assertThat(figures.lagMaxMs()).isEqualTo(1200.0);
        assertThat(figures.appliedMessages()).isEqualTo(3);
        assertThat(figures.appliedEntities()).isEqualTo(5);
        assertThat(figures.unchangedEntities()).isEqualTo(2);
        assertThat(figures.lastAppliedAt()).isEqualTo(NOW);
    }

    @Test
    void keepsTheNewestVersionWhenAnOlderBatchIsAppliedAgain() {
        metrics.applied(List.of(delivery(1, null)), new ChangeLog.Applied(1, 0, "1700000000000009"));

        metrics.applied(List.of(delivery(2, null)), new ChangeLog.Applied(0, 1, "1700000000000003"));

        assertThat(metrics.figures().lastAppliedVersion()).isEqualTo("1700000000000009");
        assertThat(registry.get(RegionMetrics.APPLIED_VERSION).gauge().value()).isEqualTo(1.700000000000009e15);
    }

    @Test
    void reportsNoLagBeforeTheFirstMessageAndTheWaitingGauge() {
        RegionMetrics.Figures figures = metrics.figures();

        assertThat(figures.lagP50Ms()).isNull();
        assertThat(figures.lastAppliedVersion()).isNull();
        assertThat(registry.get(RegionMetrics.WAITING).tag("region", "eu-west").gauge().value()).isEqualTo(7.0);
    }

    private static Delivery delivery(long tag, Long since) {
        return new Delivery(tag, "{}", "v" + tag, since == null ? OptionalLong.empty() : OptionalLong.of(since));
    }
}

package dev.gridstate.bench.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridstate.bench.failover.FailoverFigures;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class SentinelFailoverTest {

    @Test
    @Timeout(60)
    @DisplayName("a Lettuce client through Sentinel reads again from the promoted replica after the primary is SIGKILLed")
    void shouldReadFromThePromotedReplicaAfterThePrimaryIsKilled() {
        SentinelSet.Settings set = SentinelSet.Settings.defaults().withDownAfter(Duration.ofMillis(1000));
        SentinelFailover.Settings run = SentinelFailover.Settings.defaults()
                .withPhases(Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withAfterKillBound(Duration.ofSeconds(15));

        SentinelFailover.Result result = SentinelFailover.measure(set, run);

        FailoverFigures figures = result.figures();
        print("1000 ms", result);
        assertThat(result.newMasterPort()).contains(result.replicaPort());
        assertThat(result.newMasterReported()).hasValueSatisfying(t -> assertThat(t).isGreaterThan(Duration.ofMillis(1000)));
        assertThat(figures.firstSuccess()).hasValueSatisfying(t -> assertThat(t).isGreaterThan(Duration.ofMillis(1000)));
        assertThat(figures.failedAfterKill()).isPositive().isLessThan(figures.totalAfterKill());
        assertThat(figures.baselineRequests()).isGreaterThan(1000);
    }

    /** Redis's default down-after is 30 s, so this takes about 90 s: run it by hand with -Dbench.sentinel.default=true. */
    @Test
    @Timeout(150)
    @EnabledIfSystemProperty(named = "bench.sentinel.default", matches = "true",
            disabledReason = "takes over 30 s (Redis's default down-after); the bench command measures it, -Dbench.sentinel.default=true runs it here")
    @DisplayName("with Redis's default down-after the client reads again only after the 30 s detection")
    void shouldFailOverAfterTheDefaultDownAfter() {
        SentinelFailover.Settings run = SentinelFailover.Settings.defaults()
                .withAfterKillBound(Duration.ofSeconds(75));

        SentinelFailover.Result result = SentinelFailover.measure(SentinelSet.Settings.defaults(), run);

        print("default", result);
        assertThat(result.newMasterPort()).contains(result.replicaPort());
        assertThat(result.figures().firstSuccess())
                .hasValueSatisfying(t -> assertThat(t).isGreaterThan(Duration.ofSeconds(30)));
    }

    private static void print(String downAfter, SentinelFailover.Result result) {
        FailoverFigures figures = result.figures();
        System.out.printf("Sentinel down-after %s: new master reported %s, first success %s, steady %s,"
                        + " %d of %d failed after the kill, baseline p99 %s, worst window p99 %s, bound reached %s%n",
                downAfter, result.newMasterReported(), figures.firstSuccess(), figures.timeToSteady(),
                figures.failedAfterKill(), figures.totalAfterKill(), figures.baselineP99(),
                figures.worstWindowP99(), result.reachedBound());
    }
}

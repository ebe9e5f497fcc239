package dev.gridstate.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RegionsFiguresTest {

    @Test
    void shouldCountUserSystemAndInterruptsAsBusyAndStealApart() {
        MachineCpu before = MachineCpu.parse("cpu  100 0 50 800 50 0 0 0 0 0");
        MachineCpu after = MachineCpu.parse("cpu  400 0 150 1100 50 0 100 200 0 0");

        // 1000 ticks over 2 CPUs: 500 busy (user 300, system 100, softirq 100), 300 idle, 200 stolen
        assertThat(after.busyCpusSince(before, 2)).isCloseTo(1.0, within(1e-9));
        assertThat(after.stolenCpusSince(before, 2)).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void shouldRefuseALineThatIsNotTheAggregate() {
        assertThatThrownBy(() -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cpu0 1 2");
    }

    @Test
    void shouldSumTheSeriesWhoseLabelsMatch() {
        Scrape scrape = new Scrape("""
                # HELP replication_lag_seconds lag
                replication_lag_seconds_count{region="r01",} 10.0
                replication_lag_seconds_count{region="r02",} 5.0
                replication_lag_seconds_sum{region="r01",} 2.5
                http_server_requests_seconds_count{method="POST",uri="/v1/heartbeats",} 7.0
                http_server_requests_seconds_count{method="POST",uri="/v1/nodes/{nodeId}/heartbeat",} 3.0
                """);

        assertThat(scrape.sum("replication_lag_seconds_count")).isEqualTo(15.0);
        assertThat(scrape.sum("replication_lag_seconds_count", "region=\"r02\"")).isEqualTo(5.0);
        assertThat(scrape.sum("http_server_requests_seconds_count", "/heartbeat\"")).isEqualTo(3.0);
        assertThat(scrape.sum("http_server_requests_seconds_count", "uri=\"/v1/heartbeats\"")).isEqualTo(7.0);
        assertThat(scrape.sum("no_such_metric")).isNaN();
    }

    @Test
    void shouldReadScriptCallsAndTimeFromCommandstats() {
        RegionsReading.Scripts scripts = RegionsReading.parseScripts(
                "cmdstat_evalsha:calls=1200,usec=43320,usec_per_call=36.10,rejected_calls=0,failed_calls=2");

        assertThat(scripts).isEqualTo(new RegionsReading.Scripts(1200, 43320));
    }

    @Test
    void shouldTakeTheNearestRankPercentile() {
        List<Long> sorted = List.of(0L, 0L, 0L, 10L, 20L, 30L, 40L, 50L, 60L, 1000L);

        assertThat(RegionsStep.percentile(sorted, 0.5)).isEqualTo(20.0);
        assertThat(RegionsStep.percentile(sorted, 0.99)).isEqualTo(1000.0);
        assertThat(RegionsStep.percentile(List.of(), 0.5)).isNaN();
    }

    @Test
    void shouldNameTheRegionCountThatIsOutOfRange() {
        assertThatThrownBy(() -> new Regions.Plan(List.of(1, 100), 500, Duration.ofSeconds(60), Duration.ofSeconds(60), "256m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every region count must be between 1 and 99 (regions are r01 … r99), but was 100");
    }

    @Test
    void shouldNameRegionsSoTheySortAsNumbers() {
        assertThat(List.of(RegionsTopology.regionName(1), RegionsTopology.regionName(10))).containsExactly("r01", "r10");
    }
}

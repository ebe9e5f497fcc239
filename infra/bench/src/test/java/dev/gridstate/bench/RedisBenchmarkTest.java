package dev.gridstate.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisBenchmarkTest {

    /** The output of {@code redis-benchmark -c 8 -n 20000 -r 1000 -t set} (7.0.15), progress lines and all. */
    private static String captured() throws IOException {
        try (InputStream in = RedisBenchmarkTest.class.getResourceAsStream("/redis-benchmark-set.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheSummaryAndP999FromTheFirstDistribution() throws IOException {
        RedisBenchmark.Result r = RedisBenchmark.parse("SET", 8, 20_000, captured(), 12.5);

        assertThat(r.rps()).isEqualTo(23310.02);
        assertThat(r.p50()).isEqualTo(0.135);
        // the summary's p99, not the coarse distribution's 99.219 % step (1.967 ms)
        assertThat(r.p99()).isEqualTo(1.631);
        // the first step at or above 99.9 % of "Latency by percentile distribution"
        assertThat(r.p999()).isEqualTo(7.663);
        assertThat(r.max()).isEqualTo(92.287);
        assertThat(r.clientCpuMs()).isEqualTo(12.5);
    }

    @Test
    void refusesOutputWithoutASummary() {
        assertThatThrownBy(() -> RedisBenchmark.parse("SET", 8, 1, "Could not connect to Redis at 127.0.0.1:1", 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Could not connect");
    }
}

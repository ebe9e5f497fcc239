package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches past the in-flight bound are refused at once, not queued in Redis until all time out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchLoadIT {

    private TestRegion region;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of("gateway.registry.max-batches-in-flight", "1",
                "gateway.rate-limit.limit-for-period", "1000"));
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("with one batch allowed in flight, 16 concurrent batches of 1000 answer 200 or a quick 503 busy, nothing else")
    void shouldShedExcessBatches() throws Exception {
        Http http = region.http();
        IntStream.range(0, 1000).forEach(i -> http.put("/v1/nodes/b" + i, Nodes.spec(80000)));
        String batch = Nodes.batch(IntStream.range(0, 1000).mapToObj(i -> Nodes.beat("b" + i, "idle")).toList());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Http.Answer> answers = new ArrayList<>();
        try {
            List<Future<Http.Answer>> sent = IntStream.range(0, 16)
                    .mapToObj(i -> pool.submit(() -> http.post("/v1/heartbeats", batch))).toList();
            for (Future<Http.Answer> f : sent) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<Integer> statuses = answers.stream().map(Http.Answer::status).toList();
        assertThat(statuses).containsOnly(200, 503).contains(200, 503);
        answers.stream().filter(a -> a.status() == 503).forEach(a -> {
            assertThat(a.json().get("error").asText()).isEqualTo("busy");
            assertThat(a.raw().headers().firstValue("Retry-After")).hasValue("1");
        });
    }
}

package dev.gridstate.gateway.store;

import dev.gridstate.gateway.Http;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failover right after central had a blip. Central's breaker, once opened, goes half-open
 * after open-for; requests reach central only while they fail over, so if they were its probes
 * it would stay half-open all the time the regional Redis serves, and at the next failover let
 * {@code probe-calls} (3) requests through and refuse the others with a 503 although central is
 * healthy. {@link Failover} probes it instead; this drives that case on purpose.
 */
class CentralHalfOpenIT {

    private static final int BURST = 20;

    private FailoverTopology topology;
    private BreakerWatch watch;

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    @DisplayName("after a blip of both Redis servers, central's breaker closes without requests, so a failover refuses none")
    void shouldServeEveryRequestFromCentralAtAFailoverAfterABlip() throws Exception {
        topology = FailoverTopology.start(FailoverIT.STORE, gateways -> watch = BreakerWatch.on(gateways));
        long blip = System.nanoTime();
        topology.regional().hang();
        topology.central().hang();
        await("both breakers of replica 0 open").atMost(Duration.ofSeconds(10)).until(() -> {
            burst(topology.http(0));
            return watch.first(0, Source.REGIONAL, State.OPEN, blip).isPresent()
                    && watch.first(0, Source.CENTRAL, State.OPEN, blip).isPresent();
        });
        topology.regional().resume();
        topology.central().resume();
        await("replica 0 back on the regional Redis, central's breaker closed by probes alone").atMost(Duration.ofSeconds(10))
                .until(() -> watch.allOnRegional() && watch.state(0, Source.CENTRAL) == State.CLOSED);

        topology.regional().kill();
        List<Http.Answer> answers = burst(topology.http(0));

        assertThat(answers).as("answers right after the regional Redis died, central healthy")
                .allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(200));
    }

    /** {@link #BURST} match queries at once. */
    private static List<Http.Answer> burst(Http http) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(BURST)) {
            List<Future<Http.Answer>> sent = IntStream.range(0, BURST)
                    .mapToObj(i -> pool.submit(() -> http.get("/v1/nodes?model=llama-3-8b&limit=10"))).toList();
            List<Http.Answer> answers = new ArrayList<>();
            for (Future<Http.Answer> f : sent) {
                answers.add(f.get());
            }
            return answers;
        }
    }
}

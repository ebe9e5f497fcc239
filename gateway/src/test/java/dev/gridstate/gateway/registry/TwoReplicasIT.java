package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two gateway replicas of one region share its Redis and so give the same answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasIT {

    private TestRegion region;
    private TestGateway a;
    private TestGateway b;

    @BeforeAll
    void start() {
        Map<String, Object> fast = Map.of("gateway.registry.heartbeat-interval", "1s",
                "gateway.registry.heartbeat-ttl", "4s", "gateway.registry.sweep-interval", "100ms");
        region = TestRegion.start(2, fast);
        a = region.gateway(0);
        b = region.gateway(1);
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("nodes registered through both replicas at once are seen identically through each")
    void shouldAnswerTheSameThroughEitherReplica() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> puts = IntStream.range(0, 400).mapToObj(i -> pool.submit(() ->
                    (i % 2 == 0 ? a : b).http().put("/v1/nodes/r" + i, Nodes.spec(1000L + i)).status())).toList();
            for (Future<Integer> put : puts) {
                assertThat(put.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }

        // One batch keeps all 400 alive for a full TTL, whatever the registrations took.
        String batch = Nodes.batch(IntStream.range(0, 400).mapToObj(i -> Nodes.beat("r" + i, "idle")).toList());
        assertThat(b.http().post("/v1/heartbeats", batch).status()).isEqualTo(200);
        String query = "/v1/nodes?model=llama-3-8b&limit=1000";
        List<String> viaA = RegistryIT.ids(a.http().get(query));
        List<String> viaB = RegistryIT.ids(b.http().get(query));

        assertThat(viaA).hasSize(400).isEqualTo(viaB);
        assertThat(viaA.get(0)).isEqualTo("r399");
        assertThat(b.http().get("/v1/nodes/r0").body()).isEqualTo(a.http().get("/v1/nodes/r0").body());
    }

    @Test
    @DisplayName("a heartbeat through one replica and a delete through the other act on one shared record")
    void shouldShareOneRecordAcrossReplicas() {
        Http viaA = a.http();
        Http viaB = b.http();
        viaA.put("/v1/nodes/shared", Nodes.spec(80000));

        assertThat(viaB.post("/v1/nodes/shared/heartbeat", "{\"state\":\"busy\",\"freeMemoryMb\":10}").status()).isEqualTo(200);
        assertThat(viaA.get("/v1/nodes/shared").json().get("state").asText()).isEqualTo("busy");
        assertThat(viaB.delete("/v1/nodes/shared").status()).isEqualTo(204);

        assertThat(viaA.get("/v1/nodes/shared").status()).isEqualTo(404);
        assertThat(viaA.post("/v1/nodes/shared/heartbeat", "{\"state\":\"idle\"}").status()).isEqualTo(409);
    }

    @Test
    @DisplayName("with both replicas sweeping, an expired node goes offline once and for both")
    void shouldExpireOnceForBoth() {
        a.http().put("/v1/nodes/lonely", Nodes.spec(80000));

        await().atMost(Duration.ofSeconds(4).plusSeconds(1)).untilAsserted(() -> {
            assertThat(a.http().get("/v1/nodes/lonely").json().get("status").asText()).isEqualTo("offline");
            assertThat(b.http().get("/v1/nodes/lonely").json().get("status").asText()).isEqualTo("offline");
            assertThat(region.regional().commands().zscore(TestRegion.KEYS + "free", "lonely")).isNull();
        });

        assertThat(RegistryIT.ids(b.http().get("/v1/nodes?model=llama-3-8b&limit=1000"))).doesNotContain("lonely");
    }
}

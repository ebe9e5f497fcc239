package dev.gridstate.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimsIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimsIT.class);
    private static final String CLAIM = "{\"model\":\"llama-3-8b\",\"leaseMs\":60000}";

    private TestRegion region;
    private Http a;
    private Http b;

    @BeforeAll
    void start() {
        // No sweep during these tests: a claim must check each node's deadline by itself.
        region = TestRegion.start(2, Map.of("gateway.registry.heartbeat-ttl", "60s",
                "gateway.registry.sweep-interval", "1h"));
        a = region.gateway(0).http();
        b = region.gateway(1).http();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void empty() {
        region.reset();
    }

    @Test
    @DisplayName("claims from two replicas and 16 threads never hand out one node twice, over 2,000 claims")
    void shouldNeverClaimOneNodeTwice() throws Exception {
        int nodes = 200;
        IntStream.range(0, nodes).forEach(i -> a.put("/v1/nodes/c" + i, Nodes.spec(1000L + i)));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long started = System.nanoTime();
        int claimsMade = 0;
        try {
            for (int round = 0; round < 10; round++) {
                ConcurrentLinkedQueue<JsonNode> granted = new ConcurrentLinkedQueue<>();
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    Http via = t % 2 == 0 ? a : b;
                    workers.add(pool.submit(() -> {
                        Http.Answer answer;
                        while ((answer = via.post("/v1/claims", CLAIM)).status() == 201) {
                            granted.add(answer.json());
                        }
                        assertThat(answer.status()).isEqualTo(404);
                        assertThat(answer.json().get("error").asText()).isEqualTo("no_eligible_node");
                    }));
                }
                for (Future<?> w : workers) {
                    w.get();
                }

                Set<String> nodeIds = new HashSet<>();
                granted.forEach(c -> assertThat(nodeIds.add(c.get("nodeId").asText())).as("claimed twice: " + c).isTrue());
                assertThat(nodeIds).hasSize(nodes);
                claimsMade += granted.size();
                List<Future<Integer>> releases = granted.stream().map(c -> pool.submit(() ->
                        b.delete("/v1/claims/" + c.get("claimId").asText()).status())).toList();
                for (Future<Integer> r : releases) {
                    assertThat(r.get()).isEqualTo(204);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info("{} claims (and as many releases) through 2 replicas in {} s: {} claims/s with releases interleaved",
                claimsMade, String.format("%.2f", seconds), Math.round(claimsMade / seconds));
        assertThat(claimsMade).isEqualTo(2000);
    }

    @Test
    @DisplayName("a claim takes the ready node with the most free memory that meets the request")
    void shouldPreferTheMostFreeMemory() {
        a.put("/v1/nodes/small", Nodes.spec("llama-3-8b", "q4", 81920, 10000, "gold"));
        a.put("/v1/nodes/large", Nodes.spec("llama-3-8b", "q4", 81920, 70000, "silver"));
        a.put("/v1/nodes/other", Nodes.spec("llama-3-8b", "fp16", 81920, 80000, "gold"));
        a.put("/v1/nodes/busy", Nodes.spec("llama-3-8b", "q4", 81920, 75000, "gold"));
        a.post("/v1/nodes/busy/heartbeat", "{\"state\":\"busy\"}");

        assertThat(nodeOf(a.post("/v1/claims", "{\"model\":\"llama-3-8b\",\"version\":\"q4\",\"label\":\"tier:gold\"}")))
                .isEqualTo("small");
        assertThat(nodeOf(a.post("/v1/claims", "{\"model\":\"llama-3-8b\",\"version\":\"q4\"}"))).isEqualTo("large");
        assertThat(a.post("/v1/claims", "{\"model\":\"llama-3-8b\",\"minFreeMemoryMb\":90000}").status()).isEqualTo(404);
        assertThat(nodeOf(a.post("/v1/claims", "{\"model\":\"llama-3-8b\"}"))).isEqualTo("other");
        assertThat(a.post("/v1/claims", "{\"model\":\"llama-3-8b\"}").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("a lease that runs out voids the claim; the node comes back only while it heart-beats idle")
    void shouldVoidExpiredLeases() {
        a.put("/v1/nodes/n1", Nodes.spec(80000));
        JsonNode claim = a.post("/v1/claims", "{\"model\":\"llama-3-8b\",\"leaseMs\":300}").json();
        assertThat(claim.get("expiresAt").asLong()).isPositive();

        await().atMost(Duration.ofSeconds(2)).until(() ->
                a.asAdmin().get("/v1/admin/nodes/n1").json().get("claimId").isNull());
        assertThat(a.post("/v1/claims/" + claim.get("claimId").asText() + "/renew", "").status()).isEqualTo(404);
        assertThat(a.post("/v1/claims", CLAIM).status()).isEqualTo(404);
        a.post("/v1/nodes/n1/heartbeat", "{\"state\":\"busy\"}");
        assertThat(a.post("/v1/claims", CLAIM).status()).isEqualTo(404);

        a.post("/v1/nodes/n1/heartbeat", "{\"state\":\"idle\"}");

        assertThat(nodeOf(a.post("/v1/claims", CLAIM))).isEqualTo("n1");
    }

    @Test
    @DisplayName("renewing extends a lease; releasing puts the node back in the queue at once")
    void shouldRenewAndRelease() {
        a.put("/v1/nodes/n1", Nodes.spec(80000));
        JsonNode claim = a.post("/v1/claims", "{\"model\":\"llama-3-8b\",\"leaseMs\":1000}").json();
        String id = claim.get("claimId").asText();

        Http.Answer renewed = b.post("/v1/claims/" + id + "/renew", "{\"leaseMs\":60000}");

        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().get("expiresAt").asLong()).isGreaterThan(claim.get("expiresAt").asLong() + 50_000);
        assertThat(b.delete("/v1/claims/" + id).status()).isEqualTo(204);
        assertThat(nodeOf(a.post("/v1/claims", CLAIM))).isEqualTo("n1");
        assertThat(b.delete("/v1/claims/" + id).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("an offline node is never claimed, even before the sweep took it out of the queue")
    void shouldNotClaimExpiredNodes() {
        region.reset();
        a.put("/v1/nodes/n1", Nodes.spec(80000));
        // The deadline moves into the past and no sweep runs: only the claim's own check stands.
        region.regional().commands().zadd(TestRegion.KEYS + "online", 1, "n1");

        assertThat(a.post("/v1/claims", CLAIM).status()).isEqualTo(404);
        assertThat(region.regional().commands().zscore(TestRegion.KEYS + "ready:llama-3-8b", "n1")).isNull();
    }

    @Test
    @DisplayName("bad claim requests answer 400 naming the field")
    void shouldRefuseBadClaims() {
        assertThat(a.post("/v1/claims", "{}").json().get("field").asText()).isEqualTo("model");
        assertThat(a.post("/v1/claims", "{\"model\":\"m\",\"leaseMs\":0}").json().get("field").asText()).isEqualTo("leaseMs");
        assertThat(a.post("/v1/claims", "{\"model\":\"m\",\"label\":\"nocolon\"}").json().get("field").asText()).isEqualTo("label");
        assertThat(a.post("/v1/claims", "{\"model\":\"m\",\"minFreeMemoryMb\":-1}").status()).isEqualTo(400);
        assertThat(a.post("/v1/claims/not-a-uuid/renew", "").status()).isEqualTo(400);
    }

    private static String nodeOf(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("nodeId").asText();
    }
}

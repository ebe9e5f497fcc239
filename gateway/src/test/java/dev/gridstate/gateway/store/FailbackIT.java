package dev.gridstate.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.state.LuaScript;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The way to central and back, with the regional breaker forced open and closed by hand, so each
 * step can be looked at: what a write on central leaves there, and what the way back copies.
 * The faults themselves (kill, hang, flush) are {@code FailoverIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailbackIT {

    private static final String KEYS = TestRegion.KEYS;
    private static final String CLAIM = "{\"model\":\"llama-3-8b\",\"leaseMs\":60000}";

    private TestRegion region;
    private Http http;
    private CircuitBreaker breaker;
    private Failover failover;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of("gateway.registry.sweep-interval", "1h"));
        http = region.http();
        breaker = region.gateway(0).context().getBean(StoreBreakers.class).regional();
        failover = region.gateway(0).context().getBean(Failover.class);
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @BeforeEach
    void clean() {
        breaker.transitionToClosedState();
        await().until(failover::regionalInUse);
        region.reset();
    }

    @Test
    @DisplayName("a write on central gives its entity a new version and puts it in the failback set; a read leaves nothing")
    void shouldRecordWritesOnCentral() {
        Http.Answer before = http.put("/v1/nodes/n1", Nodes.spec(80000));
        assertThat(before.raw().headers().firstValue(Source.HEADER)).contains("regional");

        toCentral();
        Http.Answer registered = http.put("/v1/nodes/n2", Nodes.spec(40000));
        Http.Answer beat = http.post("/v1/nodes/n2/heartbeat", "{\"state\":\"idle\"}");
        Http.Answer read = http.get("/v1/nodes/n2");

        assertThat(registered.status()).isEqualTo(201);
        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.raw().headers().firstValue(Source.HEADER)).contains("central");
        assertThat(registered.raw().headers().firstValue(Source.HEADER)).contains("central");
        assertThat(read.raw().headers().firstValue(Source.HEADER)).contains("central");
        RedisCommands<String, String> central = region.central().commands();
        assertThat(central.zrange(KEYS + "repl:failback", 0, -1)).containsExactly(KEYS + "node:n2");
        assertThat(central.hget(KEYS + "repl:versions", KEYS + "node:n2"))
                .isEqualTo(String.format("%.0f", central.zscore(KEYS + "repl:failback", KEYS + "node:n2")));
        assertThat(region.regional().commands().exists(KEYS + "node:n2")).isZero();
    }

    @Test
    @DisplayName("the way back copies what was written on central, deletions and claims with their leases included")
    void shouldCopyBackWhatCentralTook() {
        http.put("/v1/nodes/gone", Nodes.spec(80000));
        http.asAdmin().put("/v1/admin/nodes/gone/flags/freeze", "{\"reason\":\"audit\"}");
        // What central holds of the region before the outage: the replicator's work, done by hand here.
        region.central().commands().hset(KEYS + "node:gone", region.regional().commands().hgetall(KEYS + "node:gone"));

        toCentral();
        assertThat(http.put("/v1/nodes/n1", Nodes.spec(80000)).status()).isEqualTo(201);
        backToRegional();
        // A second outage in which only the claim changes n1: the claim alone must bring it back.
        toCentral();
        JsonNode claim = http.post("/v1/claims", CLAIM).json();
        assertThat(http.delete("/v1/nodes/gone").status()).isEqualTo(204);
        assertThat(http.asAdmin().delete("/v1/admin/nodes/gone/flags/freeze").status()).isEqualTo(204);
        assertThat(claim.get("nodeId").asText()).isEqualTo("n1");

        backToRegional();

        RedisCommands<String, String> regional = region.regional().commands();
        String claimId = claim.get("claimId").asText();
        assertThat(regional.hget(KEYS + "node:n1", "claim")).isEqualTo(claimId);
        assertThat(regional.pttl(KEYS + "claim:" + claimId)).isBetween(1L, 60_000L);
        assertThat(regional.exists(KEYS + "node:gone", KEYS + "flag:gone:freeze")).isZero();
        assertThat(region.central().commands().zcard(KEYS + "repl:failback")).isZero();
        Http.Answer again = http.post("/v1/claims", CLAIM);
        assertThat(again.status()).as("n1 is claimed, on the regional Redis too").isEqualTo(404);
        assertThat(again.raw().headers().firstValue(Source.HEADER)).contains("regional");
        assertThat(http.delete("/v1/claims/" + claimId).status()).isEqualTo(204);
    }

    @Test
    @DisplayName("the way back leaves in the failback set an entity written on central again after it was read")
    void shouldKeepWhatWasWrittenAgain() {
        RedisCommands<String, String> central = region.central().commands();
        central.zadd(KEYS + "repl:failback", 200, KEYS + "node:n1");
        LuaScript done = LuaScript.load("failback-done");

        Long stale = central.evalsha(load(central, done), ScriptOutputType.INTEGER,
                new String[]{KEYS + "repl:failback"}, KEYS + "node:n1", "100");
        Long current = central.evalsha(load(central, done), ScriptOutputType.INTEGER,
                new String[]{KEYS + "repl:failback"}, KEYS + "node:n1", "200");

        assertThat(stale).isZero();
        assertThat(current).isOne();
        assertThat(central.zcard(KEYS + "repl:failback")).isZero();
    }

    @Test
    @DisplayName("with the regional breaker open and central's too, a state call answers 503 with Retry-After at once")
    void shouldAnswer503WhenNeitherCanTakeIt() {
        CircuitBreaker central = region.gateway(0).context().getBean(StoreBreakers.class).central();
        toCentral();
        central.transitionToForcedOpenState();
        try {
            long asked = System.nanoTime();
            Http.Answer answer = http.get("/v1/nodes/n1");
            long tookMs = (System.nanoTime() - asked) / 1_000_000;

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.raw().headers().firstValue("Retry-After")).contains("1");
            assertThat(answer.json().get("error").asText()).isEqualTo("store_unavailable");
            assertThat(tookMs).isLessThan(500);
        } finally {
            central.transitionToClosedState();
        }
    }

    private void toCentral() {
        breaker.transitionToForcedOpenState();
        await().atMost(Duration.ofSeconds(2)).until(() -> !failover.regionalInUse());
    }

    private void backToRegional() {
        breaker.transitionToClosedState();
        await().atMost(Duration.ofSeconds(5)).until(failover::regionalInUse);
    }

    private static String load(RedisCommands<String, String> redis, LuaScript script) {
        return redis.scriptLoad(script.source());
    }
}

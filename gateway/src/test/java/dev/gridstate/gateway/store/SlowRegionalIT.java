package dev.gridstate.gateway.store;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A regional Redis too slow for the gateway's timeout, made so by a script that keeps it busy.
 * A read while central is down waits longer on it instead of failing for a fault of central's;
 * a job submission that timed out leaves no record behind of a job the client was told failed.
 */
class SlowRegionalIT {

    /** Busy for {@code ARGV[1]} ms: the whole Redis is, a script runs alone. */
    private static final String BUSY = """
            local t = redis.call('TIME')
            local start = t[1] * 1000 + t[2] / 1000
            repeat
              t = redis.call('TIME')
            until t[1] * 1000 + t[2] / 1000 - start >= tonumber(ARGV[1])
            return 1
            """;

    private TestRegion region;
    private RedisClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (region != null) {
            region.close();
        }
    }

    @Test
    @DisplayName("with central down, a read the regional Redis answers in 400 ms, past its 150 ms timeout, is answered 200 from the regional Redis")
    void shouldWaitLongerOnTheRegionalRedisWhenCentralIsDown() {
        region = TestRegion.start(1, Map.of("gateway.store.regional-timeout", "150ms",
                "gateway.store.regional-slow-call", "100ms"));
        Http http = region.http();
        assertThat(http.put("/v1/nodes/slow-1", Nodes.spec(40_000)).status()).isEqualTo(201);
        region.central().kill();
        StoreBreakers breakers = region.gateway(0).context().getBean(StoreBreakers.class);
        await("central's breaker open").atMost(Duration.ofSeconds(10))
                .until(() -> breakers.central().getState() == CircuitBreaker.State.OPEN);

        CompletableFuture<Object> running = keepBusy(400);

        Http.Answer read = http.get("/v1/nodes/slow-1");

        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.raw().headers().firstValue("X-State-Source")).hasValue("regional");
        assertThat(running.join()).isEqualTo(1L);
    }

    @Test
    @DisplayName("a job submission whose record write timed out is answered 503, and the record, made after all, is taken back")
    void shouldTakeBackTheRecordOfASubmissionThatTimedOut() {
        TestGateway.jobQueues(TestRegion.NAME, "slow-submit");
        region = TestRegion.start(1, Map.of("gateway.store.regional-timeout", "150ms",
                "gateway.store.regional-slow-call", "100ms"));
        Http http = region.http();
        CompletableFuture<Object> running = keepBusy(400);

        Http.Answer submitted = http.post("/v1/jobs", "{\"model\":\"slow-submit\",\"payload\":{},\"idempotencyKey\":\"slow-1\"}");

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(503);
        assertThat(running.join()).isEqualTo(1L);
        await("no record left of the job").atMost(Duration.ofSeconds(5))
                .until(() -> region.regional().commands().keys(TestRegion.KEYS + "job:*").isEmpty());
        // A retry with the key is a new submission, accepted as any other.
        Http.Answer again = http.post("/v1/jobs", "{\"model\":\"slow-submit\",\"payload\":{},\"idempotencyKey\":\"slow-1\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(202);
    }

    /** Starts a script that keeps the regional Redis busy for {@code ms}; returns once it runs (PINGs go unanswered). */
    private CompletableFuture<Object> keepBusy(long ms) {
        client = RedisClient.create(RedisURI.create(region.regional().uri()));
        StatefulRedisConnection<String, String> busy = client.connect();
        StatefulRedisConnection<String, String> probe = client.connect();
        CompletableFuture<Object> running = busy.async().eval(BUSY, ScriptOutputType.INTEGER, new String[0], String.valueOf(ms))
                .toCompletableFuture();
        await("the regional Redis busy").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> !answersWithin(probe, 20));
        return running;
    }

    private static boolean answersWithin(StatefulRedisConnection<String, String> probe, long ms) {
        try {
            probe.async().ping().toCompletableFuture().get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.state.Keys;
import io.lettuce.core.KillArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of one region: each keeps Subcloud definitions in its near cache, and a change
 * through either reaches the other's through Redis pub/sub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubcloudCacheIT {

    private static final Duration PROMPTLY = Duration.ofSeconds(1);

    private final Keys keys = new Keys(TestRegion.NAME);
    private TestRegion region;
    private RedisCommands<String, String> redis;
    private Http adminA;
    private Http viaB;
    private TestGateway b;

    @BeforeAll
    void start() {
        // application.yml leaves /prometheus sensitive (401 without a security module); see the report.
        region = TestRegion.start(2, Map.of("endpoints.prometheus.sensitive", false));
        redis = region.regional().commands();
        adminA = region.gateway(0).http().asAdmin();
        b = region.gateway(1);
        viaB = b.http();
        await().atMost(Duration.ofSeconds(5)).until(() -> cacheOf(region.gateway(0)).live() && cacheOf(b).live());
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("replica B caches a definition, and serves the one replaced or deleted through replica A within a second")
    void shouldServeChangesMadeThroughTheOtherReplicaPromptly() {
        adminA.put("/v1/admin/subclouds/x-1", SubcloudJson.of("First", List.of("x-n1"), List.of("x-c1")));
        cachedByB("x-1", "First");

        adminA.put("/v1/admin/subclouds/x-1", SubcloudJson.of("Second", List.of("x-n1"), List.of("x-c1")));

        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(name(viaB.get("/v1/subclouds/x-1"))).isEqualTo("Second"));
        assertThat(adminA.delete("/v1/admin/subclouds/x-1").status()).isEqualTo(204);
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(viaB.get("/v1/subclouds/x-1").status()).isEqualTo(404));
    }

    @Test
    @DisplayName("a definition changed in Redis without a publish is not seen until its id is published")
    void shouldServeTheCachedCopyUntilInvalidated() {
        adminA.put("/v1/admin/subclouds/y-1", SubcloudJson.of("Cached", List.of("y-n1"), List.of("y-c1")));
        cachedByB("y-1", "Cached");
        redis.hset(keys.subcloud("y-1"), "definition", SubcloudJson.of("Behind the cache", List.of("y-n1"), List.of("y-c1")));

        String stillCached = name(viaB.get("/v1/subclouds/y-1"));
        String uncached = name(adminA.get("/v1/admin/subclouds/y-1"));
        redis.publish(keys.subcloudChanges(), "y-1");

        assertThat(stillCached).isEqualTo("Cached");
        assertThat(uncached).isEqualTo("Behind the cache");
        await().atMost(PROMPTLY).untilAsserted(() ->
                assertThat(name(viaB.get("/v1/subclouds/y-1"))).isEqualTo("Behind the cache"));
    }

    @Test
    @DisplayName("when the pub/sub connection drops, the cache is dropped, and it caches again once re-subscribed")
    void shouldDropTheCacheWhenThePubSubConnectionDrops() {
        adminA.put("/v1/admin/subclouds/z-1", SubcloudJson.of("Before", List.of("z-n1"), List.of("z-c1")));
        cachedByB("z-1", "Before");
        redis.hset(keys.subcloud("z-1"), "definition", SubcloudJson.of("Missed", List.of("z-n1"), List.of("z-c1")));
        assertThat(name(viaB.get("/v1/subclouds/z-1"))).isEqualTo("Before");

        redis.clientKill(KillArgs.Builder.typePubsub());

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(name(viaB.get("/v1/subclouds/z-1"))).isEqualTo("Missed");
            assertThat(cacheOf(region.gateway(0)).live()).isTrue();
            assertThat(cacheOf(b).live()).isTrue();
        });
        cachedByB("z-1", "Missed");
    }

    @Test
    @DisplayName("the near cache's hits, misses and hit ratio are exported, and /prometheus shows them")
    void shouldExportTheHitRatio() {
        adminA.put("/v1/admin/subclouds/m-1", SubcloudJson.of("Metered", List.of(), List.of("m-c1")));
        viaB.get("/v1/subclouds/m-1");
        viaB.get("/v1/subclouds/m-1");
        MeterRegistry meters = b.context().getBean(MeterRegistry.class);

        double hits = meters.get("cache.gets").tags("cache", "subclouds", "result", "hit").functionCounter().count();
        double misses = meters.get("cache.gets").tags("cache", "subclouds", "result", "miss").functionCounter().count();
        double ratio = meters.get("cache.hit.ratio").tag("cache", "subclouds").gauge().value();
        Http.Answer scrape = viaB.get("/prometheus");

        assertThat(hits).isPositive();
        assertThat(misses).isPositive();
        assertThat(ratio).isCloseTo(hits / (hits + misses), org.assertj.core.data.Offset.offset(0.01));
        assertThat(scrape.status()).isEqualTo(200);
        // every series carries the region (micronaut.metrics.tags.region)
        assertThat(scrape.body()).contains("cache_gets_total{cache=\"subclouds\",region=\"" + TestRegion.NAME + "\",result=\"hit\"}")
                .contains("cache_gets_total{cache=\"subclouds\",region=\"" + TestRegion.NAME + "\",result=\"miss\"}")
                .contains("cache_hit_ratio{cache=\"subclouds\",region=\"" + TestRegion.NAME + "\"}");
    }

    /** Reads through B until a read is answered by B's cache (the put's own publish may drop a first copy). */
    private void cachedByB(String id, String name) {
        await().atMost(PROMPTLY).untilAsserted(() -> {
            long hits = cacheOf(b).stats().hitCount();
            assertThat(name(viaB.get("/v1/subclouds/" + id))).isEqualTo(name);
            assertThat(cacheOf(b).stats().hitCount()).as("hits of B's near cache").isEqualTo(hits + 1);
        });
    }

    private static SubcloudCache cacheOf(TestGateway gateway) {
        return gateway.context().getBean(SubcloudCache.class);
    }

    private static String name(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("name").asText();
    }
}

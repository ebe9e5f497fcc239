package dev.gridstate.gateway.replication;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Refusals;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.state.Keys;
import dev.gridstate.state.ReplicatedState;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import dev.gridstate.testkit.TcpProxy;
import dev.gridstate.testkit.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The change log end to end: gateways of two regions on their own redis-servers, one central
 * redis-server (AOF), the shared RabbitMQ broker, and the replicator as its own process.
 */
class ReplicationIT {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationIT.class);
    private static final List<String> REGIONS = List.of("eu-west", "us-east");
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final long CENTRAL_LATENCY_MS = 50;

    private final String exchange = RabbitBroker.shared().uniqueName("repl-x");
    private final String queueBase = RabbitBroker.shared().uniqueName("repl-q");
    private final RedisServer central = RedisServer.startCentral();
    private final Map<String, RedisServer> regionals = new LinkedHashMap<>();
    private final Map<String, TestGateway> gateways = new HashMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    ReplicationIT() {
        for (String region : REGIONS) {
            regionals.put(region, RedisServer.startRegional());
            RabbitBroker.shared().derivedName(queueBase, "." + region);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        gateways.values().forEach(TestGateway::close);
        regionals.values().forEach(RedisServer::close);
        central.close();
    }

    @Test
    void centralEqualsTheUnionOfTheRegionsAfterAMixedWorkload() {
        startGateways(Map.of());
        ReplicatorProcess replicator = replicator();
        Map<String, Workload> workloads = workloads();

        workloads.values().forEach(w -> w.register(30));
        for (int i = 0; i < 150; i++) {
            workloads.values().forEach(Workload::step);
        }

        awaitCentralMatchesEveryRegion(workloads);
        for (String region : REGIONS) {
            JsonNode status = replicator.region(region);
            assertThat(status.path("appliedMessages").asLong()).as(status.toString()).isPositive();
        }
    }

    @Test
    void centralKilledAndRestartedFromItsAofMidWorkloadConverges() {
        startGateways(Map.of());
        replicator();
        Map<String, Workload> workloads = workloads();
        workloads.values().forEach(w -> w.register(20));
        workloads.values().forEach(w -> w.steps(40));

        central.kill();
        // The regions keep answering (every step asserts success), durable admin changes included:
        // with central gone they wait for the broker's confirm instead.
        workloads.values().forEach(w -> w.steps(60));
        central.restart();
        workloads.values().forEach(w -> w.steps(40));

        awaitCentralMatchesEveryRegion(workloads);
    }

    @Test
    void theReplicatorKilledMidBatchLosesNothingAndAppliesNothingTwice() {
        // Small pages and batches, so a kill lands between batches of one backlog.
        startGateways(Map.of("gateway.replication.page-size", 3));
        Map<String, Workload> workloads = workloads();
        workloads.values().forEach(w -> w.register(60));
        workloads.values().forEach(w -> w.steps(80));

        // The first replicator reaches central through a slow link, so the backlog takes it seconds,
        // not the fraction of a second it takes on loopback, and the kill surely lands in the middle.
        ToxiproxyServer toxiproxy = ToxiproxyServer.start(0);
        closing.add(toxiproxy);
        String slowCentral = slowLinkTo(toxiproxy, central, CENTRAL_LATENCY_MS);
        ReplicatorProcess first = replicator(slowCentral, "replication.batch-max-messages=2");
        await("the replicator in the middle of the backlog").atMost(CONVERGE).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    JsonNode eu = first.region("eu-west");
                    return eu.path("appliedMessages").asLong() > 0 && eu.path("waiting").asLong() > 0;
                });
        JsonNode atKill = first.region("eu-west");
        first.kill();
        LOG.info("replicator killed with {} message(s) of eu-west applied and {} waiting",
                atKill.path("appliedMessages").asLong(), atKill.path("waiting").asLong());
        workloads.values().forEach(w -> w.steps(20));
        replicator();

        awaitCentralMatchesEveryRegion(workloads);
    }

    @Test
    void aBrokerCutOffForAWhileIsRepairedByAResync() {
        TcpProxy broker = TcpProxy.to(URI.create(RabbitBroker.shared().uri()).getPort());
        closing.add(broker);
        // A tiny outbox: the cut must overflow it, so only a resync can repair central.
        startGateways(Map.of("rabbitmq.uri", viaProxy(broker), "gateway.replication.buffer-messages", 2,
                "gateway.replication.page-size", 2));
        replicator();
        Map<String, Workload> workloads = workloads();
        workloads.values().forEach(w -> w.register(10));
        awaitCentralMatchesEveryRegion(workloads);

        broker.cut();
        long cutAt = System.nanoTime();
        workloads.values().forEach(w -> w.register(15));
        workloads.values().forEach(w -> w.steps(60));
        long answeredForMs = (System.nanoTime() - cutAt) / 1_000_000;
        Http admin = gateways.get("eu-west").http().asAdmin();
        long dropped = admin.get("/v1/admin/replication").json().path("droppedMessages").asLong();
        assertThat(dropped).as("messages dropped during the %d ms cut", answeredForMs).isPositive();
        broker.restore();

        awaitCentralMatchesEveryRegion(workloads);
        JsonNode status = admin.get("/v1/admin/replication").json();
        assertThat(status.path("lastResync").path("entities").asLong()).as(status.toString()).isPositive();
        LOG.info("broker cut for {} ms of answered requests: eu-west dropped {} message(s); its resync sent {}",
                answeredForMs, dropped, status.path("lastResync"));
    }

    @Test
    void aDurableChangeThatNeitherCentralNorTheBrokerTakesIsRefusedInTimeAndStillArrives() {
        TcpProxy broker = TcpProxy.to(URI.create(RabbitBroker.shared().uri()).getPort());
        closing.add(broker);
        startGateways(Map.of("rabbitmq.uri", viaProxy(broker), "gateway.replication.write-through-timeout", "1s"));
        replicator();
        Http http = gateways.get("eu-west").http();
        new Workload(http, "eu-west", 3).register(1);

        central.kill();
        broker.cut();
        long started = System.nanoTime();
        Http.Answer frozen = http.asAdmin().put("/v1/admin/nodes/eu-west-n0/flags/freeze", "{\"reason\":\"fraud\"}");
        long answeredMs = (System.nanoTime() - started) / 1_000_000;

        Refusals.assertClearError(frozen, 503, "not_durable", null);
        assertThat(answeredMs).as("answered within the write-through timeout, plus a margin").isLessThan(3_000);
        LOG.info("a freeze with central and the broker both away was answered 503 in {} ms", answeredMs);
        // The region holds the freeze; its message waits in the gateway and reaches central once both are back.
        assertThat(http.asAdmin().get("/v1/admin/nodes/eu-west-n0").json().path("flags").has("freeze")).isTrue();
        broker.restore();
        central.restart();
        await("the freeze on central").atMost(CONVERGE)
                .until(() -> RegionContents.flags(central, "eu-west").contains("eu-west-n0:freeze"));
    }

    @Test
    void aResyncOnDemandRepairsWhatTheChangeLogNeverCarried() {
        startGateways(Map.of());
        replicator();
        Http http = gateways.get("eu-west").http();
        Workload workload = new Workload(http, "eu-west", 5);
        workload.register(5);
        await().atMost(CONVERGE).until(() -> RegionContents.nodes(central, "eu-west").equals(workload.nodes()));
        // Changes behind the gateways' back: no change log carries them.
        Keys keys = new Keys("eu-west");
        RedisServer regional = regionals.get("eu-west");
        // n0 leaves the way the deregister script does it, record, liveness and every index.
        regional.commands().del(keys.node("eu-west-n0"));
        for (String sorted : List.of(keys.online(), keys.freeMemory(), keys.model("llama-3-8b"),
                keys.modelVersion("llama-3-8b", "q4"), keys.ready("llama-3-8b"), keys.readyVersion("llama-3-8b", "q4"))) {
            regional.commands().zrem(sorted, "eu-west-n0");
        }
        regional.commands().srem(keys.label("tier", "gold"), "eu-west-n0");
        regional.commands().hset(keys.node("eu-west-n1"), "state", "busy");

        assertThat(http.post("/v1/admin/replication/resync", "").status()).isEqualTo(401);
        Http.Answer resync = http.asAdmin().post("/v1/admin/replication/resync", "");

        assertThat(resync.status()).as(resync.body()).isEqualTo(202);
        assertThat(resync.json().path("entities").asLong()).isEqualTo(4);
        await("central repaired by the resync").atMost(CONVERGE)
                .untilAsserted(() -> assertThat(replicated(central, "eu-west")).isEqualTo(replicated(regional, "eu-west")));
        assertThat(RegionContents.nodes(central, "eu-west")).doesNotContain("eu-west-n0");
        assertThat(central.commands().hget(keys.node("eu-west-n1"), "state")).isEqualTo("busy");
        assertThat(http.asAdmin().get("/v1/admin/replication").json().path("lastResync").path("id").asText())
                .isEqualTo(resync.json().path("id").asText());
    }

    @Test
    void aResyncRightAfterTheRegionLostItsStateDeletesNothingOnCentral() {
        // A refill check far apart, so the resync surely comes before the refill.
        startGateways(Map.of("gateway.store.check-interval", "3s"));
        replicator();
        Http http = gateways.get("eu-west").http();
        Workload workload = new Workload(http, "eu-west", 11);
        workload.register(4);
        assertThat(http.asAdmin().put("/v1/admin/nodes/eu-west-n1/flags/freeze", "{\"reason\":\"fraud\"}").status())
                .isEqualTo(200);
        await().atMost(CONVERGE).until(() -> RegionContents.nodes(central, "eu-west").equals(workload.nodes()));

        regionals.get("eu-west").flushAll();
        Http.Answer resync = http.asAdmin().post("/v1/admin/replication/resync", "");

        Refusals.assertClearError(resync, 503, "resync_failed", null);
        await("the region refilled").atMost(CONVERGE)
                .until(() -> RegionContents.nodes(regionals.get("eu-west"), "eu-west").equals(workload.nodes()));
        assertThat(RegionContents.nodes(central, "eu-west")).isEqualTo(workload.nodes());
        assertThat(RegionContents.flags(central, "eu-west")).contains("eu-west-n1:freeze");
    }

    @Test
    void aGatewayStartsAndServesWithCentralDownAndItsHealthSaysSo() {
        central.kill();
        startGateways(Map.of());
        Http http = gateways.get("eu-west").http();

        new Workload(http, "eu-west", 13).register(2);
        long asked = System.nanoTime();
        Http.Answer health = http.get("/health");
        long answeredMs = (System.nanoTime() - asked) / 1_000_000;

        // UP: the gateway serves. Central DOWN is in the details, for operators and alerts.
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        JsonNode redis = health.json().path("details").path("redis").path("details");
        assertThat(redis.path("serving").asText()).as(health.body()).isEqualTo("regional");
        assertThat(redis.path("regional").path("status").asText()).as(health.body()).isEqualTo("UP");
        assertThat(redis.path("central").path("status").asText()).as(health.body()).isEqualTo("DOWN");
        assertThat(answeredMs).as("no wait for a connection to central").isLessThan(1_500);
    }

    @Test
    void aGatewayStoppedRightAfterAChangeStillDeliversIt() {
        // A flush interval far longer than the test: only the stop's last flush can send the change.
        startGateways(Map.of("gateway.replication.flush-interval", "1h"));
        replicator();
        Workload workload = new Workload(gateways.get("eu-west").http(), "eu-west", 9);
        workload.register(3);

        gateways.remove("eu-west").close();

        await("the registrations on central").atMost(CONVERGE)
                .until(() -> RegionContents.nodes(central, "eu-west").equals(workload.nodes()));
    }

    @Test
    void aFlushedRegionGetsItsFlagsSubcloudsAndNodesBackFromCentral() {
        startGateways(Map.of());
        replicator();
        Http http = gateways.get("eu-west").http();
        Http admin = http.asAdmin();
        Workload workload = new Workload(http, "eu-west", 7);
        workload.register(5);
        assertThat(admin.put("/v1/admin/nodes/eu-west-n1/flags/freeze", "{\"reason\":\"fraud\"}").status()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/nodes/eu-west-n2/flags/shadow-ban", "{\"reason\":\"abuse\"}").status()).isEqualTo(200);
        assertThat(admin.put("/v1/admin/subclouds/gold", "{\"name\":\"Gold\",\"members\":[\"eu-west-n3\"],\"clients\":[\"acme\"]}")
                .status()).isEqualTo(201);
        RedisServer regional = regionals.get("eu-west");
        await().atMost(CONVERGE).until(() -> RegionContents.nodes(central, "eu-west").equals(workload.nodes()));
        Map<String, String> before = replicated(regional, "eu-west");

        regional.flushAll();

        long flushed = System.nanoTime();
        await("the region refilled from central").atMost(CONVERGE).pollInterval(Duration.ofMillis(50))
                .until(() -> replicated(regional, "eu-west").equals(before));
        LOG.info("flushed region refilled from central ({} keys) in {} ms", before.size(),
                (System.nanoTime() - flushed) / 1_000_000);
        assertThat(admin.get("/v1/admin/nodes/eu-west-n1").json().path("flags").has("freeze")).isTrue();
        assertThat(admin.get("/v1/admin/nodes/eu-west-n2").json().path("flags").has("shadow-ban")).isTrue();
        assertThat(admin.get("/v1/admin/subclouds/gold").status()).isEqualTo(200);
        assertThat(http.post("/v1/nodes/eu-west-n4/heartbeat", "{\"state\":\"idle\"}").status()).isEqualTo(200);
    }

    private static Map<String, String> replicated(RedisServer server, String region) {
        return ReplicatedState.of(server.commands(), new Keys(region));
    }

    /** The broker's URI, through {@code proxy}. */
    private static String viaProxy(TcpProxy proxy) {
        URI real = URI.create(RabbitBroker.shared().uri());
        return real.getScheme() + "://" + real.getRawUserInfo() + "@127.0.0.1:" + proxy.port() + real.getRawPath();
    }

    private void startGateways(Map<String, Object> extra) {
        for (String region : REGIONS) {
            Map<String, Object> props = new HashMap<>(extra);
            props.put("gateway.replication.exchange", exchange);
            props.put("gateway.replication.queue-prefix", queueBase + ".");
            gateways.put(region, TestGateway.start(region, regionals.get(region), central, props));
        }
    }

    private ReplicatorProcess replicator() {
        return replicator(central.uri());
    }

    private ReplicatorProcess replicator(String centralUri, String... extra) {
        ReplicatorProcess replicator = ReplicatorProcess.start(centralUri, exchange, queueBase + ".", REGIONS, extra);
        closing.add(replicator);
        return replicator;
    }

    /** A Toxiproxy proxy to {@code server} that delays every answer by {@code latencyMs}; its Redis URI. */
    private static String slowLinkTo(ToxiproxyServer toxiproxy, RedisServer server, long latencyMs) {
        try {
            Proxy proxy = new ToxiproxyClient("127.0.0.1", toxiproxy.port())
                    .createProxy("central", "127.0.0.1:" + Ports.freePort(), "127.0.0.1:" + server.port());
            proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, latencyMs);
            return "redis://" + proxy.getListen();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Workload> workloads() {
        Map<String, Workload> workloads = new LinkedHashMap<>();
        long seed = 42;
        for (String region : REGIONS) {
            workloads.put(region, new Workload(gateways.get(region).http(), region, seed++));
        }
        return workloads;
    }

    /** Central holds exactly what each region holds, keys and values, and what the workload's model says. */
    private void awaitCentralMatchesEveryRegion(Map<String, Workload> workloads) {
        long started = System.nanoTime();
        for (String region : REGIONS) {
            RedisServer regional = regionals.get(region);
            await("central equal to region " + region).atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(replicated(central, region))
                            .isEqualTo(replicated(regional, region)));
            Workload model = workloads.get(region);
            assertThat(RegionContents.nodes(central, region)).isEqualTo(model.nodes());
            assertThat(RegionContents.flags(central, region)).isEqualTo(model.flags());
            assertThat(RegionContents.subclouds(central, region)).isEqualTo(model.subclouds());
            LOG.info("central equal to {} ({} keys) {} ms after the workload", region, replicated(central, region).size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}

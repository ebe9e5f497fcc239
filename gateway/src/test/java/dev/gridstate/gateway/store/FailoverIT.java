package dev.gridstate.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.gateway.store.SteadyLoad.Kind;
import dev.gridstate.gateway.store.SteadyLoad.Sample;
import dev.gridstate.testkit.RedisCluster;
import dev.gridstate.testkit.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static dev.gridstate.gateway.store.FailoverTopology.INTERVAL;
import static dev.gridstate.gateway.store.FailoverTopology.KEYS;
import static dev.gridstate.gateway.store.FailoverTopology.NODES;
import static dev.gridstate.gateway.store.FailoverTopology.liveNodes;
import static dev.gridstate.gateway.store.FailoverTopology.liveNodesBut;
import static dev.gridstate.gateway.store.Samples.assertAll;
import static dev.gridstate.gateway.store.Samples.assertNoneWrong;
import static dev.gridstate.gateway.store.Samples.byKind;
import static dev.gridstate.gateway.store.Samples.central;
import static dev.gridstate.gateway.store.Samples.count;
import static dev.gridstate.gateway.store.Samples.firstEnd;
import static dev.gridstate.gateway.store.Samples.orNever;
import static dev.gridstate.gateway.store.Samples.regional;
import static dev.gridstate.gateway.store.Samples.since;
import static dev.gridstate.gateway.store.Samples.startedIn;
import static dev.gridstate.gateway.store.Samples.touching;
import static dev.gridstate.gateway.store.Samples.wrong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Failover of the state store end to end, under client load: the regional Redis crashes, hangs
 * or loses its data, or both Redis servers go. Each scenario records what clients see (status,
 * source, latency of every request), when each replica's breakers moved, and how soon the region
 * is whole again; it publishes those figures ({@link Figures}) before it asserts on them, and logs
 * the store's story (every breaker transition and switch of source) after it.
 *
 * <p>In the gateway module's cluster profile the regional Redis is a Redis Cluster of 3 masters
 * and 3 replicas. A killed or hung master there is replaced by its replica, with the region's
 * data, rather than restarted empty: the scenarios of a lone server that rely on that are left
 * to the default run, and the cluster has its own, the master of the region killed.
 *
 * <p>An answer from central is not a failure: a regional call that times out is answered by
 * central by design. Such a per-call fallback takes at least the regional timeout, so a central
 * answer faster than that shows its replica had switched to central as a whole.
 */
class FailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);

    private static final Duration REGIONAL_TIMEOUT = Duration.ofMillis(50);
    private static final Duration CENTRAL_TIMEOUT = Duration.ofMillis(250);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final Duration OPEN_FOR = Duration.ofSeconds(1);
    /** The default; {@code -Dfailover.regional-slow-call=8ms} tries another. */
    private static final String REGIONAL_SLOW_CALL = System.getProperty("failover.regional-slow-call", "25ms");
    /** application.yml's defaults, spelled out since the promises and figures are made for them. */
    static final Map<String, Object> STORE = Map.ofEntries(
            Map.entry("gateway.store.regional-timeout", REGIONAL_TIMEOUT.toMillis() + "ms"),
            Map.entry("gateway.store.regional-slow-call", REGIONAL_SLOW_CALL),
            Map.entry("gateway.store.central-timeout", CENTRAL_TIMEOUT.toMillis() + "ms"),
            Map.entry("gateway.store.central-slow-call", "100ms"),
            Map.entry("gateway.store.failure-rate", 50),
            Map.entry("gateway.store.slow-call-rate", 80),
            Map.entry("gateway.store.window", "1s"),
            Map.entry("gateway.store.minimum-calls", 20),
            Map.entry("gateway.store.open-for", OPEN_FOR.toMillis() + "ms"),
            Map.entry("gateway.store.probe-calls", 3),
            Map.entry("gateway.store.probe-interval", PROBE_INTERVAL.toMillis() + "ms"),
            Map.entry("gateway.store.check-interval", CHECK_INTERVAL.toMillis() + "ms"));

    private static final Duration OPEN_WITHIN = Duration.ofSeconds(1);
    private static final Duration REBUILT_WITHIN = INTERVAL.plusSeconds(1);
    /** After a resume: up to open-for until the breaker probes again, then a second for the probes and the copy back. */
    private static final Duration BACK_AFTER_RESUME_WITHIN = OPEN_FOR.plusSeconds(1);
    /**
     * Wrong answers after FLUSHALL only until each replica notices the loss: at the latest its
     * periodic check (check-interval), in a failover round (probe-interval apart).
     */
    private static final Duration LOSS_NOTICED_WITHIN = CHECK_INTERVAL.plus(PROBE_INTERVAL);
    /**
     * On top of both timeouts, for a 503 when neither Redis answers: the HTTP round trip and the
     * scheduling delays of a 2-core machine that also runs two gateways, 100 agents, the load and
     * the replicator. Answers' p99 there is 5-65 ms; the slowest seen while developing this, 330 ms.
     */
    private static final Duration UNAVAILABLE_MARGIN = Duration.ofMillis(500);
    /**
     * A master killed in the regional cluster: its replica is promoted after the cluster's node
     * timeout (1 s in the test kit) and an election (2.0–3.1 s after the kill in all, seen here);
     * the gateways learn the new topology within half a second of it (the adaptive refresh's
     * limit), and each breaker closes at its next probe after open-for. Runs here were back
     * 3.9–4.0 s after the kill; two seconds on top for a busy 2-core machine.
     */
    private static final Duration BACK_ON_CLUSTER_WITHIN = Duration.ofSeconds(6);
    private static final String ONE_SERVER_ONLY = "a lone regional Redis only: on a cluster the replica takes over "
            + "instead (shouldServeFromCentralWhileTheClusterPromotesAReplica)";

    private static final int LOAD_THREADS = 4;
    private static final Duration PACE = Duration.ofMillis(20);
    private static final Duration LOAD_AT_MOST = Duration.ofSeconds(25);
    private static final int LOAD_REQUESTS_AT_MOST = 6_000;
    private static final int BASELINE_REQUESTS = 100;
    /** Requests answered while failed over, at least: the "none failed" claims rest on these. */
    private static final int OUTAGE_REQUESTS = 300;
    private static final int AFTER_REQUESTS = 200;
    private static final Duration AWAIT = Duration.ofSeconds(10);
    /** The region has settled when no breaker moved and no replica switched for a whole breaker window (1 s). */
    private static final Duration SETTLED = Duration.ofSeconds(1);
    /** The set-up's burst of 100 registrations on cold gateways opens breakers on slow calls; this long, at most. */
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(15);

    private final Map<String, Long> marks = new LinkedHashMap<>();
    private long setup;
    /** From here on, up to the fault, the region had settled under the load: the baseline. */
    private long baselineFrom;
    private FailoverTopology topology;
    private BreakerWatch watch;
    private SteadyLoad load;
    /** A fleet node frozen before every fault: a durable flag that must survive each. */
    private String frozen;

    @BeforeEach
    void start() {
        setup = System.nanoTime();
        topology = FailoverTopology.start(STORE, gateways -> watch = BreakerWatch.on(gateways));
        frozen = topology.fleet().nodeIds().get(0);
        Http.Answer freeze = topology.http(0).asAdmin().put("/v1/admin/nodes/" + frozen + "/flags/freeze",
                "{\"reason\":\"failover drill\"}");
        assertThat(freeze.status()).as(freeze.body()).isEqualTo(200);
        topology.awaitCentralHolds(KEYS.flag(frozen, "freeze"));
    }

    @AfterEach
    void stop() {
        if (load != null) {
            load.close();
        }
        if (watch != null) {
            watch.close();
            logStory();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    @DisplayName("regional Redis SIGKILLed, later restarted empty: open within 1 s, no request fails, "
            + "central serves the fleet, and the region is rebuilt within a heartbeat interval + 1 s")
    void shouldServeFromCentralAndRebuildWhenTheRegionalRedisIsKilled() {
        assumeFalse(TestRegion.clustered(), ONE_SERVER_ONLY);
        RedisServer regional = topology.regional();
        long fault = beforeFault();

        regional.kill();
        long open = mark("all regional breakers open", awaitAllWent(Source.REGIONAL, State.OPEN, fault));
        awaitMoment(() -> open > 0 && load.countSince(open) >= OUTAGE_REQUESTS);
        List<Http.Answer> health = List.of(topology.http(0).get("/health"), topology.http(1).get("/health"));
        String metrics = topology.http(1).get("/prometheus").body();
        long restart = mark("restart called", System.nanoTime());
        regional.restart();
        long restarted = mark("restarted (answers PING)", System.nanoTime());
        long rebuilt = mark("rebuilt", awaitMoment(() -> liveNodes(regional) == NODES
                && regional.commands().exists(KEYS.flag(frozen, "freeze")) == 1));
        long back = mark("both back on regional", awaitMoment(watch::allOnRegional));
        awaitMoment(() -> back > 0 && load.countSince(back) >= AFTER_REQUESTS);
        load.close();

        List<Sample> all = load.samples();
        List<Sample> outage = touching(all, fault, restart);
        publish(failedOver("regional-sigkill-then-restart-empty", all, fault, open)
                .millis("restartCallMs", restart, restarted)
                .millis("rebuildMs", restarted, rebuilt)
                .millis("backOnRegionalMs", restarted, back), all, outage);

        assertFailedOver(all, fault, open, restart);
        assertThat(count(startedIn(all, open, restart), s -> s.kind() == Kind.MATCH))
                .as("match queries that central answered with the whole fleet").isPositive();
        health.forEach(FailoverIT::assertServingCentral);
        assertThat(metrics).contains("gateway_store_calls_total{region=\"" + TestRegion.NAME + "\",source=\"central\"")
                .containsPattern("gateway_store_breaker_transitions_total\\{from=\"closed\",name=\"regional\",[^}]*to=\"open\"[^}]*} [1-9]");
        assertThat(watch.allWent(Source.REGIONAL, State.CLOSED, restarted)).as("both regional breakers closed again").isPresent();
        assertWithin(rebuilt, restarted, REBUILT_WITHIN, "every live node and the freeze back in the regional Redis after the restart");
        assertWithin(back, restarted, REBUILT_WITHIN, "both replicas back on the regional Redis after the restart");
        assertAll(since(all, back), AFTER_REQUESTS, regionalOrFallback(), "served by the regional Redis once back");
    }

    @Test
    @DisplayName("regional Redis hung (SIGSTOP), then resumed: open within 1 s, no request fails, and what was "
            + "written on central meanwhile is in the regional Redis before answers come from it again")
    void shouldCopyBackWhatWasWrittenOnCentralWhenAHungRegionalRedisResumes() {
        assumeFalse(TestRegion.clustered(), ONE_SERVER_ONLY);
        RedisServer regional = topology.regional();
        String newcomer = "eu-west-outage-node";
        long fault = beforeFault();

        regional.hang();
        long open = mark("all regional breakers open", awaitAllWent(Source.REGIONAL, State.OPEN, fault));
        // A model no query of the load asks for, so the newcomer changes no expected match count.
        Http.Answer registered = topology.http(1).put("/v1/nodes/" + newcomer,
                Nodes.spec("outage-model", "v1", 24_576, 20_000, "gold"));
        Http.Answer flagged = topology.http(0).asAdmin().put("/v1/admin/nodes/" + newcomer + "/flags/freeze",
                "{\"reason\":\"set during the outage\"}");
        awaitMoment(() -> open > 0 && load.countSince(open) >= OUTAGE_REQUESTS);
        List<Http.Answer> health = List.of(topology.http(0).get("/health"), topology.http(1).get("/health"));
        long resume = mark("resume called", System.nanoTime());
        regional.resume();
        long back = mark("both back on regional", awaitMoment(watch::allOnRegional));
        // Read at once: the copy must be complete before the gateways use the regional Redis again.
        long copiedBack = back < 0 ? -1 : regional.commands().exists(KEYS.node(newcomer), KEYS.flag(newcomer, "freeze"),
                KEYS.flag(frozen, "freeze"));
        // The newcomer has no agent: it is live only until its heartbeat TTL runs out.
        long liveWhenBack = back < 0 ? -1 : liveNodesBut(regional, newcomer);
        awaitMoment(() -> back > 0 && load.countSince(back) >= AFTER_REQUESTS);
        load.close();

        List<Sample> all = load.samples();
        List<Sample> outage = touching(all, fault, resume);
        publish(failedOver("regional-sigstop-then-sigcont", all, fault, open)
                .millis("rebuildMs", resume, back), all, outage);

        assertFailedOver(all, fault, open, resume);
        assertAnswered(registered, 201, "central");
        assertAnswered(flagged, 200, "central");
        health.forEach(FailoverIT::assertServingCentral);
        assertWithin(back, resume, BACK_AFTER_RESUME_WITHIN, "both replicas back on the regional Redis after the resume");
        assertThat(copiedBack).as("the newcomer, its freeze and the earlier freeze in the regional Redis when it is used again")
                .isEqualTo(3);
        assertThat(liveWhenBack).as("live fleet nodes in the regional Redis when it is used again").isEqualTo(NODES);
        await("the failback set emptied").atMost(AWAIT)
                .until(() -> topology.central().commands().zcard(KEYS.failback()) == 0);
        assertAll(since(all, back), AFTER_REQUESTS, regionalOrFallback(), "served by the regional Redis once back");
    }

    @Test
    @DisplayName("FLUSHALL on the regional Redis, no disconnect: wrong answers only until the loss is noticed, "
            + "then every live node and the freeze back within a heartbeat interval + 1 s")
    void shouldRefillARegionalRedisThatLostItsDataWithoutADisconnect() {
        RedisServer regional = topology.regional();
        long fault = beforeFault();

        regional.flushAll();
        long rebuilt = mark("rebuilt, both on regional", awaitMoment(() -> liveNodes(regional) == NODES
                && regional.commands().exists(KEYS.flag(frozen, "freeze")) == 1 && watch.allOnRegional()));
        awaitMoment(() -> rebuilt > 0 && load.countSince(rebuilt) >= AFTER_REQUESTS);
        load.close();

        List<Sample> all = load.samples();
        List<Sample> wrongOnes = since(all, fault).stream().filter(wrong()).toList();
        long lastWrong = wrongOnes.stream().mapToLong(Sample::startNanos).max().orElse(-1);
        List<Sample> outage = touching(all, fault, orNever(rebuilt));
        figures("regional-flushall", all, fault)
                .put("openMs", null)
                .millis("firstCentralAnswerMs", fault, firstEnd(all, fault, central()))
                .put("failed", wrongOnes.size())
                .put("failedByKind", byKind(wrongOnes))
                .millis("lastFailedSentMs", fault, lastWrong)
                .millis("rebuildMs", fault, rebuilt)
                .latencies("outage", outage)
                .put("outageRequests", outage.size())
                .put("outageServedByCentral", count(outage, central()))
                .put("servedByCentral", count(all, central()))
                .put("requests", all.size())
                .publish(LOG);

        assertBaseline(all, fault);
        assertAll(since(all, fault), 0, s -> s.status() == 200 || s.status() == 404, "a 200, or a 404 for a node not known");
        assertAll(wrongOnes, 0, regional(), "from the flushed regional Redis (wrong answers)");
        if (lastWrong > 0) {
            assertThat(Duration.ofNanos(lastWrong - fault)).as("the last wrong answer was asked for after the flush, at")
                    .isLessThanOrEqualTo(LOSS_NOTICED_WITHIN);
        }
        assertWithin(rebuilt, fault, REBUILT_WITHIN, "every live node and the freeze back, both replicas on regional, after the flush");
        assertNoneWrong(since(all, rebuilt), "once rebuilt");
        assertAll(since(all, rebuilt), AFTER_REQUESTS, regionalOrFallback(), "served by the regional Redis once rebuilt");
    }

    @Test
    @DisplayName("regional Redis Cluster, the region's master SIGKILLed: open within 1 s, no request fails after, "
            + "central serves while the cluster promotes the replica, and the region is back on the cluster, whole")
    void shouldServeFromCentralWhileTheClusterPromotesAReplica() {
        assumeTrue(TestRegion.clustered(), "needs a regional Redis Cluster: the gateway module's cluster profile runs it");
        RedisCluster cluster = topology.cluster();
        RedisServer master = topology.regional();
        long fault = beforeFault();

        master.kill();
        long open = mark("all regional breakers open", awaitAllWent(Source.REGIONAL, State.OPEN, fault));
        long promoted = mark("the replica promoted", awaitMoment(() -> cluster.masterFor(TestRegion.KEYS) != master));
        long back = mark("both back on the regional cluster", awaitMoment(() -> promoted > 0 && watch.allOnRegional()));
        awaitMoment(() -> back > 0 && load.countSince(back) >= AFTER_REQUESTS);
        load.close();

        List<Sample> all = load.samples();
        publish(failedOver("cluster-master-sigkill", all, fault, open)
                .millis("promotedMs", fault, promoted)
                .millis("backOnRegionalMs", fault, back), all, touching(all, fault, orNever(back)));

        assertBaseline(all, fault);
        assertOpenWithin(open, fault);
        assertNoneWrong(since(all, open), "after the breakers opened");
        assertThat(count(startedIn(all, open, orNever(back)), central()))
                .as("answers from central while the cluster promoted the replica").isPositive();
        assertWithin(back, fault, BACK_ON_CLUSTER_WITHIN, "both replicas back on the regional cluster after the kill");
        RedisServer promotedMaster = topology.regional();
        assertThat(liveNodes(promotedMaster)).as("the fleet live on the promoted master").isEqualTo(NODES);
        assertThat(promotedMaster.commands().exists(KEYS.flag(frozen, "freeze"))).as("the freeze on the promoted master")
                .isEqualTo(1);
        assertAll(since(all, back), AFTER_REQUESTS, regionalOrFallback(), "served by the regional cluster once back");
    }

    /** How both Redis servers go away: a crash, or a hang where every call waits for its timeout. */
    enum Outage {
        KILLED(RedisServer::kill), HUNG(RedisServer::hang);

        private final Consumer<RedisServer> fault;

        Outage(Consumer<RedisServer> fault) {
            this.fault = fault;
        }
    }

    @ParameterizedTest(name = "both {0}")
    @EnumSource(Outage.class)
    @DisplayName("both Redis servers killed or hung: every request answers 503 with Retry-After and a JSON error, "
            + "never 500, within both timeouts and a margin")
    void shouldAnswerUnavailableQuicklyWhenBothRedisServersAreDown(Outage outage) {
        assumeFalse(TestRegion.clustered(), ONE_SERVER_ONLY);
        long fault = beforeFault();

        outage.fault.accept(topology.regional());
        outage.fault.accept(topology.central());
        long down = mark("both " + outage.name().toLowerCase(), System.nanoTime());
        long regionalOpen = awaitAllWent(Source.REGIONAL, State.OPEN, fault);
        long centralOpen = awaitAllWent(Source.CENTRAL, State.OPEN, fault);
        long open = mark("all breakers open", regionalOpen < 0 || centralOpen < 0 ? -1 : Math.max(regionalOpen, centralOpen));
        awaitMoment(() -> load.countSince(down) >= OUTAGE_REQUESTS);
        load.close();

        List<Sample> all = load.samples();
        List<Sample> refused = since(all, down);
        Duration bound = REGIONAL_TIMEOUT.plus(CENTRAL_TIMEOUT).plus(UNAVAILABLE_MARGIN);
        figures("both-redis-" + outage.name().toLowerCase(), all, fault)
                .millis("openMs", fault, open)
                .put("failedBeforeOpen", count(startedIn(all, down, orNever(open)), s -> !Samples.unavailable(s)))
                .put("failedAfterOpen", open < 0 ? null : count(since(all, open), s -> !Samples.unavailable(s)))
                .put("answered503", count(refused, Samples::unavailable))
                .put("answered500", count(all, s -> s.status() == 500))
                .millis("faultCallsMs", fault, down)
                .latencies("outage", refused)
                .put("outageRequests", refused.size())
                .put("servedByCentral", count(all, central()))
                .put("requests", all.size())
                .publish(LOG);

        assertBaseline(all, fault);
        assertAll(all, 0, s -> s.status() != 500, "anything but a 500");
        assertAll(refused, OUTAGE_REQUESTS, Samples::unavailable, "a 503 with Retry-After and the store's JSON error");
        assertAll(since(all, fault), OUTAGE_REQUESTS, s -> s.latencyNanos() <= bound.toNanos(),
                "answered within " + bound.toMillis() + " ms");
        assertThat(open).as("both breakers open on both replicas").isPositive();
    }

    /**
     * Starts the load once the region has settled after the set-up (whose burst of registrations
     * may open breakers, see the figures), waits until it has settled under the load too, takes a
     * baseline of answers, and returns the moment of the fault, which the caller injects next.
     */
    private long beforeFault() {
        await("the region settled after the set-up").atMost(SETTLE_AT_MOST).until(() -> watch.settled(SETTLED, setup));
        SteadyLoad.Expected expected = new SteadyLoad.Expected(topology.listedPerModel(), topology.fleet().nodeIds(), frozen,
                "freeze");
        load = SteadyLoad.start(List.of(topology.http(0), topology.http(1)), expected, LOAD_THREADS, PACE,
                LOAD_REQUESTS_AT_MOST, LOAD_AT_MOST);
        // A whole breaker window under the load with nothing moving: the baseline starts on full windows.
        await("the region settled under the load").atMost(AWAIT).until(() -> watch.settled(SETTLED, load.origin()));
        baselineFrom = mark("baseline from", System.nanoTime());
        await("a baseline of answers").atMost(AWAIT).until(() -> load.countSince(baselineFrom) >= BASELINE_REQUESTS);
        await("both replicas on the regional Redis at the fault").atMost(AWAIT).until(watch::allOnRegional);
        return mark("fault", System.nanoTime());
    }

    /** The figures of a regional Redis lost at {@code fault} whose breakers opened at {@code open}. */
    private Figures failedOver(String scenario, List<Sample> all, long fault, long open) {
        return figures(scenario, all, fault)
                .millis("openMs", fault, open)
                .millis("firstCentralAnswerMs", fault, firstEnd(all, fault, central()))
                .put("failedBeforeOpen", count(touching(all, fault, orNever(open)), wrong()))
                .put("failedAfterOpen", open < 0 ? null : count(since(all, open), wrong()));
    }

    /** Adds the outage's latencies and who served it, and publishes. */
    private static void publish(Figures figures, List<Sample> all, List<Sample> outage) {
        figures.latencies("outage", outage)
                .put("outageRequests", outage.size())
                .put("outageServedByCentral", count(outage, central()))
                .put("servedByCentral", count(all, central()))
                .put("requests", all.size())
                .publish(LOG);
    }

    /** Open within a second of the fault, nothing wrong after, and central answering until {@code until}. */
    private void assertFailedOver(List<Sample> all, long fault, long open, long until) {
        assertBaseline(all, fault);
        assertOpenWithin(open, fault);
        assertNoneWrong(since(all, open), "after the breakers opened");
        assertAll(startedIn(all, open, until), OUTAGE_REQUESTS, central(), "served by central while failed over");
    }

    /** The figures every scenario has: breaker openings with no fault, and the baseline before the fault. */
    private Figures figures(String scenario, List<Sample> all, long fault) {
        List<Sample> baseline = baseline(all, fault);
        List<Sample> warmUp = all.stream().filter(s -> s.startNanos() < baselineFrom).toList();
        return new Figures(scenario)
                .put("regionalSlowCall", REGIONAL_SLOW_CALL)
                .put("opensInSetUp", opens(setup, load.origin()))
                .put("opensUnderLoadBeforeFault", opens(load.origin(), fault))
                .put("warmUpRequests", warmUp.size())
                .put("warmUpFailed", count(warmUp, wrong()))
                .put("warmUpFastCentral", count(warmUp, regionalOrFallback().negate()))
                .put("baselineRequests", baseline.size())
                .latencies("baseline", baseline)
                .put("baselineFallbacks", count(baseline, central()));
    }

    /** Answers sent once the region had settled under the load, and received before the fault. */
    private List<Sample> baseline(List<Sample> all, long fault) {
        return all.stream().filter(s -> s.startNanos() >= baselineFrom && s.endNanos() < fault).toList();
    }

    /** Regional breakers that opened in [{@code from}, {@code to}), on any replica. */
    private long opens(long from, long to) {
        return watch.transitions(Source.REGIONAL, from).stream().filter(t -> t.to() == State.OPEN && t.nanos() < to).count();
    }

    /**
     * Once the region had settled under the load, and until the fault, every answer was right and
     * came from the regional Redis (or its per-call fallback): no replica was failed over. The
     * warm-up before is in the figures only: the start of the load may open a breaker on slow calls.
     */
    private void assertBaseline(List<Sample> all, long fault) {
        List<Sample> baseline = baseline(all, fault);
        assertNoneWrong(baseline, "before the fault");
        assertAll(baseline, BASELINE_REQUESTS - LOAD_THREADS, regionalOrFallback(), "served by the regional Redis before the fault");
    }

    private static void assertOpenWithin(long open, long fault) {
        assertWithin(open, fault, OPEN_WITHIN, "the regional breaker open on both replicas after the fault");
    }

    private static void assertWithin(long at, long from, Duration within, String what) {
        assertThat(at).as(what + ": never, within the wait of " + AWAIT).isPositive();
        assertThat(Duration.ofNanos(at - from)).as(what).isLessThanOrEqualTo(within);
    }

    private static void assertAnswered(Http.Answer answer, int status, String source) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.raw().headers().firstValue(Source.HEADER)).as("source of " + answer.body()).hasValue(source);
    }

    private static void assertServingCentral(Http.Answer answer) {
        assertThat(answer.status()).as("a gateway serving from central is UP: %s", answer.body()).isEqualTo(200);
        JsonNode redis = answer.json().path("details").path("redis").path("details");
        String body = answer.body();
        assertThat(redis.path("serving").asText()).as(body).isEqualTo("central");
        assertThat(redis.path("regional").path("status").asText()).as(body).isEqualTo("DOWN");
        assertThat(redis.path("regional").path("details").path("breaker").asText()).as(body).isIn("open", "half_open");
        assertThat(redis.path("regional").path("details").path("inUse").asBoolean(true)).as(body).isFalse();
        assertThat(redis.path("central").path("status").asText()).as(body).isEqualTo("UP");
    }

    /** When every replica's {@code breaker} had gone to {@code state} since {@code since}; -1 if not within the wait. */
    private long awaitAllWent(Source breaker, State state, long since) {
        return awaitMoment(() -> watch.allWent(breaker, state, since).isPresent()) < 0 ? -1
                : watch.allWent(breaker, state, since).getAsLong();
    }

    /**
     * Polls every 20 ms for up to {@link #AWAIT}; returns when {@code condition} was seen to hold
     * (an upper bound of when it began to), or -1 if it never did, so the figures get published
     * before any assertion fails.
     */
    private static long awaitMoment(BooleanSupplier condition) {
        try {
            await().atMost(AWAIT).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
            return System.nanoTime();
        } catch (ConditionTimeoutException e) {
            LOG.warn("condition not met within {}: {}", AWAIT, e.getMessage());
            return -1;
        }
    }

    private static Predicate<Sample> regionalOrFallback() {
        return Samples.regionalOrFallback(REGIONAL_TIMEOUT);
    }

    private long mark(String name, long nanos) {
        marks.put(name, nanos);
        return nanos;
    }

    private void logStory() {
        long origin = load == null ? setup : load.origin();
        StringBuilder story = new StringBuilder();
        watch.story(origin, setup).forEach(line -> story.append(System.lineSeparator()).append(line));
        marks.forEach((name, at) -> story.append(System.lineSeparator())
                .append(at < 0 ? "never" : "+" + (at - origin) / 1_000_000 + " ms").append(" test: ").append(name));
        if (load != null) {
            load.samples().stream().filter(wrong()).sorted(Comparator.comparingLong(Sample::startNanos)).limit(20)
                    .forEach(s -> story.append(System.lineSeparator()).append("wrong answer: ").append(s));
        }
        LOG.info("the store's story, ms from the start of the load ({} ms after the set-up began):{}",
                (origin - setup) / 1_000_000, story);
    }
}

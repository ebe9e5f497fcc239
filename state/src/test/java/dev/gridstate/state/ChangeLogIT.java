package dev.gridstate.state;

import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Export on one redis-server, apply on another: the replicated keys end up equal, whatever the replay. */
class ChangeLogIT {

    private static final Keys KEYS = new Keys("eu-west");
    private static RedisServer regionalServer;
    private static RedisServer centralServer;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> regionalConnection;
    private static StatefulRedisConnection<String, String> centralConnection;

    private RedisCommands<String, String> regional;
    private RedisAsyncCommands<String, String> regionalAsync;
    private RedisAsyncCommands<String, String> central;

    @BeforeAll
    static void servers() {
        regionalServer = RedisServer.startRegional();
        centralServer = RedisServer.startCentral();
        client = RedisClient.create();
        regionalConnection = client.connect(io.lettuce.core.RedisURI.create(regionalServer.uri()));
        centralConnection = client.connect(io.lettuce.core.RedisURI.create(centralServer.uri()));
    }

    @AfterAll
    static void stop() {
        regionalConnection.close();
        centralConnection.close();
        client.shutdown();
        regionalServer.close();
        centralServer.close();
    }

    @BeforeEach
    void empty() {
        regionalServer.flushAll();
        centralServer.flushAll();
        regional = regionalConnection.sync();
        regionalAsync = regionalConnection.async();
        central = centralConnection.async();
    }

    @Test
    void anExportedNodeFlagAndSubcloudLandOnCentralWithTheirIndexes() {
        registerNode("n1", "gpu-a");
        registerNode("n2", "gpu-b");
        regional.set(KEYS.flag("n2", "freeze"), "{\"type\":\"freeze\"}");
        regional.set(KEYS.flag("n1", "pause"), "{\"type\":\"pause\"}", io.lettuce.core.SetArgs.Builder.px(60_000));
        putSubcloud("s1", "acme beta");

        apply(ChangeLog.Mode.NEWEST_WINS, message(allEntities()));

        assertThat(replicated(centralServer)).isEqualTo(replicated(regionalServer)).isNotEmpty();
        assertThat(centralServer.commands().smembers(KEYS.clientSubclouds("acme"))).containsExactly("s1");
        assertThat(centralServer.commands().zrange(KEYS.model("m"), 0, -1)).containsExactlyInAnyOrder("n1", "n2");
        assertThat(centralServer.commands().pttl(KEYS.flag("n1", "pause"))).isBetween(1L, 60_000L);
    }

    @Test
    void aHeartbeatOfAnOnlineNodeMovesItsScoresAndKeepsCentralEqual() {
        registerNode("n1", "gpu-a");
        apply(ChangeLog.Mode.NEWEST_WINS, message(allEntities()));
        // A heartbeat: new free memory, state and deadline, the same indexes.
        regional.hset(KEYS.node("n1"), Map.of("free", "40", "state", "busy"));
        regional.zadd(KEYS.model("m"), 40, "n1");
        regional.zadd(KEYS.online(), System.currentTimeMillis() + 90_000, "n1");

        apply(ChangeLog.Mode.NEWEST_WINS, message(allEntities()));

        assertThat(replicated(centralServer)).isEqualTo(replicated(regionalServer));
        assertThat(centralServer.commands().zscore(KEYS.model("m"), "n1")).isEqualTo(40.0);
    }

    @Test
    void anOlderOrReplayedMessageChangesNothing() {
        registerNode("n1", "gpu-a");
        String first = message(allEntities());
        regional.hset(KEYS.node("n1"), "state", "busy");
        String second = message(allEntities());

        assertThat(apply(ChangeLog.Mode.NEWEST_WINS, second).applied()).isEqualTo(1);
        Map<String, String> afterNewest = replicated(centralServer);
        ChangeLog.Applied replay = apply(ChangeLog.Mode.NEWEST_WINS, first, second, first);

        assertThat(replay.applied()).isZero();
        assertThat(replay.unchanged()).isEqualTo(3);
        assertThat(replicated(centralServer)).isEqualTo(afterNewest);
        assertThat(centralServer.commands().hget(KEYS.node("n1"), "state")).isEqualTo("busy");
    }

    @Test
    void aDeletionIsReplicatedAndOutranksTheOlderRecord() {
        registerNode("n1", "gpu-a");
        String created = message(List.of(KEYS.node("n1")));
        regional.del(KEYS.node("n1"));
        regional.zrem(KEYS.online(), "n1");
        regional.zrem(KEYS.model("m"), "n1");
        String deleted = message(List.of(KEYS.node("n1")));

        apply(ChangeLog.Mode.NEWEST_WINS, created, deleted, created);

        assertThat(centralServer.commands().exists(KEYS.node("n1"))).isZero();
        assertThat(centralServer.commands().zrange(KEYS.model("m"), 0, -1)).isEmpty();
    }

    @Test
    void aResyncDeletesWhatTheRegionNoLongerHas() {
        registerNode("n1", "gpu-a");
        registerNode("n2", "gpu-a");
        apply(ChangeLog.Mode.NEWEST_WINS, message(allEntities()));
        // n2 leaves, and the message saying so is lost.
        regional.del(KEYS.node("n2"));
        regional.zrem(KEYS.online(), "n2");
        regional.zrem(KEYS.model("m"), "n2");

        ChangeLog.Export start = export(List.of());
        ChangeLog.Export page = export(allEntities());
        String done = ChangeMessage.resyncDone("eu-west", start.version(), 0, "r1", 1).toJson();
        apply(ChangeLog.Mode.NEWEST_WINS, ChangeMessage.resyncPage("eu-west", page, 0, "r1", 0).toJson(), done);

        assertThat(replicated(centralServer)).isEqualTo(replicated(regionalServer));
        assertThat(centralServer.commands().exists(KEYS.resyncSeen("r1"))).isZero();

        // The closing message again, as after a replicator crash before its ack: nothing more goes.
        Map<String, String> afterResync = replicated(centralServer);
        apply(ChangeLog.Mode.NEWEST_WINS, done);
        assertThat(replicated(centralServer)).isEqualTo(afterResync).containsKey(KEYS.node("n1"));
    }

    @Test
    void aResyncMissingAPageDeletesNothing() {
        registerNode("n1", "gpu-a");
        registerNode("n2", "gpu-a");
        apply(ChangeLog.Mode.NEWEST_WINS, message(allEntities()));
        Map<String, String> before = replicated(centralServer);

        ChangeLog.Export start = export(List.of());
        ChangeLog.Export first = export(List.of(KEYS.node("n1")));
        // Page 1 (with n2) never arrives.
        apply(ChangeLog.Mode.NEWEST_WINS,
                ChangeMessage.resyncPage("eu-west", first, 0, "r2", 0).toJson(),
                ChangeMessage.resyncDone("eu-west", start.version(), 0, "r2", 2).toJson());

        assertThat(replicated(centralServer)).isEqualTo(before).containsKey(KEYS.node("n2"));
    }

    @Test
    void fillWritesOnlyWhatIsAbsent() {
        registerNode("n1", "gpu-a");
        registerNode("n2", "gpu-a");
        apply(ChangeLog.Mode.NEWEST_WINS, message(allEntities()));
        String fromCentral = ChangeMessage.changes("eu-west",
                ChangeLog.export(central, KEYS, allEntitiesOn(centralServer)).toCompletableFuture().join(), 0).toJson();
        regionalServer.flushAll();
        registerNode("n2", "gpu-z");

        ChangeLog.Applied filled = ChangeLog.apply(regionalAsync, KEYS, ChangeLog.Mode.FILL_ABSENT, List.of(fromCentral))
                .toCompletableFuture().join();

        assertThat(filled.applied()).isEqualTo(1);
        assertThat(regional.hget(KEYS.node("n1"), "spec")).isEqualTo("gpu-a");
        assertThat(regional.hget(KEYS.node("n2"), "spec")).isEqualTo("gpu-z");
        assertThat(Long.parseLong(regional.get(KEYS.clock()))).isGreaterThanOrEqualTo(Long.parseLong(filled.newest()));
    }

    @Test
    void aJobThatEndedIsNeverTakenBack() {
        String job = KEYS.job("j1");
        regional.hset(job, Map.of("jobId", "j1", "state", "assigned", "attempt", "1", "node", "n1"));
        String assigned = message(List.of(job));
        regional.hset(job, Map.of("state", "succeeded", "output", "{}"));
        apply(ChangeLog.Mode.NEWEST_WINS, message(List.of(job)));
        // a newer message that still had the job running (a replica that wrote on central while
        // another was back on the regional Redis), then a newer deletion
        regional.hset(job, "state", "assigned");
        String runningAgain = message(List.of(job));
        regional.del(job);
        String deleted = message(List.of(job));

        assertThat(apply(ChangeLog.Mode.NEWEST_WINS, runningAgain, deleted).applied()).isEqualTo(2);
        regional.hset(job, Map.of("jobId", "j1", "state", "succeeded", "output", "{}"));
        ChangeLog.apply(regionalAsync, KEYS, ChangeLog.Mode.COPY, List.of(assigned)).toCompletableFuture().join();

        assertThat(centralServer.commands().hgetall(job)).containsEntry("state", "succeeded").containsEntry("output", "{}");
        assertThat(regional.hget(job, "state")).isEqualTo("succeeded");
    }

    @Test
    void aRegionalRedisThatLostTheRegionExportsNothing() {
        registerNode("n1", "gpu-a");
        regional.set(KEYS.epoch(), "2026-12-01T00:00:00Z");
        assertThat(ChangeLog.exportHeld(regionalAsync, KEYS, List.of(KEYS.node("n1"))).toCompletableFuture().join().changes())
                .contains("gpu-a");
        regionalServer.flushAll();

        // flushed: every entity would be exported as deleted, and central would apply that
        assertThatThrownBy(() -> ChangeLog.exportHeld(regionalAsync, KEYS, List.of(KEYS.node("n1"))).toCompletableFuture().join())
                .hasMessageContaining("NOREGION");
        assertThat(regionalServer.dbSize()).as("not even the clock ticked").isZero();
    }

    @Test
    void aBadMessageIsRefusedBeforeAnythingIsWritten() {
        registerNode("n1", "gpu-a");
        String good = message(allEntities());
        String otherRegion = good.replace("\"region\":\"eu-west\"", "\"region\":\"us-east\"");

        assertThatThrownBy(() -> apply(ChangeLog.Mode.NEWEST_WINS, good, otherRegion))
                .hasRootCauseInstanceOf(RedisCommandExecutionException.class)
                .hasMessageContaining("for region us-east");
        assertThatThrownBy(() -> apply(ChangeLog.Mode.NEWEST_WINS, good, "{not json"))
                .hasMessageContaining("is not JSON");
        assertThat(centralServer.dbSize()).isZero();
    }

    @Test
    void versionsGrowAcrossTheLossOfTheClock() {
        long before = Long.parseLong(export(List.of()).version());
        regionalServer.flushAll();
        long after = Long.parseLong(export(List.of()).version());
        assertThat(after).isGreaterThan(before);
    }

    private void registerNode(String id, String spec) {
        regional.hset(KEYS.node(id), Map.of("spec", spec, "state", "idle", "free", "100",
                "zix", KEYS.model("m"), "six", "", "rix", "", "claim", "c-1"));
        regional.zadd(KEYS.online(), System.currentTimeMillis() + 60_000, id);
        regional.zadd(KEYS.model("m"), 100, id);
    }

    private void putSubcloud(String id, String clients) {
        regional.hset(KEYS.subcloud(id), Map.of("definition", "{}", "clients", clients, "version", "1"));
        regional.sadd(KEYS.subclouds(), id);
        for (String c : clients.split(" ")) {
            regional.sadd(KEYS.clientSubclouds(c), id);
        }
    }

    private List<String> allEntities() {
        return allEntitiesOn(regionalServer);
    }

    private static List<String> allEntitiesOn(RedisServer server) {
        List<String> all = new ArrayList<>();
        ChangeLog.scanEntities(server.commands(), KEYS, 100, all::addAll);
        return all;
    }

    private ChangeLog.Export export(List<String> entities) {
        return ChangeLog.export(regionalAsync, KEYS, entities).toCompletableFuture().join();
    }

    private String message(List<String> entities) {
        return ChangeMessage.changes("eu-west", export(entities), System.currentTimeMillis()).toJson();
    }

    private ChangeLog.Applied apply(ChangeLog.Mode mode, String... messages) {
        CompletionStage<ChangeLog.Applied> applied = ChangeLog.apply(central, KEYS, mode, List.of(messages));
        try {
            return applied.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e;
        }
    }

    private static Map<String, String> replicated(RedisServer server) {
        return ReplicatedState.of(server.commands(), KEYS);
    }
}

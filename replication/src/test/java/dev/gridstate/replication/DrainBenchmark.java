package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.state.Keys;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How fast one replicator drains a backlog: ROUNDS updates of every one of NODES nodes, exported
 * 100 nodes to a message (bench.per-message), all in the queue before the replicator starts. Not part of the build;
 * run it on its own:
 * {@code ./mvnw -B -o verify -pl replication -Dit.test=DrainBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 * (optional {@code -Dbench.batch=64 -Dbench.prefetch=256 -Dbench.nodes=20000 -Dbench.rounds=10
 * -Dbench.per-message=100}).
 */
class DrainBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(DrainBenchmark.class);
    private static final String REGION = "eu-west";

    @Test
    void drainsTheBacklog() {
        int nodes = Integer.getInteger("bench.nodes", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 10);
        int batch = Integer.getInteger("bench.batch", 64);
        int prefetch = Integer.getInteger("bench.prefetch", 256);
        int perMessage = Integer.getInteger("bench.per-message", 100);
        ChangeTopology topology = TestBroker.uniqueTopology(REGION);
        try (RedisServer central = RedisServer.startCentral(); TestRegion region = new TestRegion(REGION, topology)) {
            long bytes = 0;
            int messages = 0;
            for (int round = 1; round <= rounds; round++) {
                writeRound(region, nodes, round);
                for (int from = 0; from < nodes; from += perMessage) {
                    String[] ids = new String[Math.min(perMessage, nodes - from)];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = "n" + (from + i);
                    }
                    TestRegion.Change change = region.exportNodes(ids);
                    region.publishUnconfirmed(change);
                    bytes += change.body().length();
                    messages++;
                }
                region.awaitConfirms();
            }
            int expected = messages;
            LOG.info("queued {} messages, {} entity changes, {} MB", messages, (long) nodes * rounds, bytes >> 20);

            try (TestReplicator replicator = TestReplicator.start(topology, central, List.of(REGION),
                    Map.of("replication.batch-max-messages", batch, "replication.prefetch", prefetch))) {
                // Timed from the first message applied: the context's start-up is not the replicator's speed.
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(2))
                        .until(() -> replicator.status(REGION).appliedMessages() > 0);
                long first = System.nanoTime();
                long before = replicator.status(REGION).appliedMessages();
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(2))
                        .until(() -> replicator.status(REGION).appliedMessages() >= expected);
                double seconds = (System.nanoTime() - first) / 1e9;
                RegionStatus status = replicator.status(REGION);
                long timed = status.appliedMessages() - before;
                LOG.info("BENCH batch={} prefetch={} entities/message={}: {} messages ({} entities) in {} s:"
                                + " {} messages/s, {} entities/s",
                        batch, prefetch, perMessage, timed, timed * perMessage, String.format("%.2f", seconds),
                        Math.round(timed / seconds), Math.round(timed * perMessage / seconds));
                LOG.info("central: {}", central.commands().info("commandstats").lines()
                        .filter(line -> line.contains("evalsha")).findFirst().orElse("no EVALSHA"));
                assertThat(status.appliedEntities()).isEqualTo((long) nodes * rounds);
            }
        } finally {
            TestBroker.deleteAll(List.of(topology), REGION);
        }
    }

    /** Registers (round 1) or updates every node, pipelined. */
    private static void writeRound(TestRegion region, int nodes, int round) {
        Keys keys = region.keys();
        RedisAsyncCommands<String, String> redis = region.redisAsync();
        List<RedisFuture<?>> writes = new ArrayList<>(nodes * 3);
        long deadline = System.currentTimeMillis() + 3_600_000;
        for (int i = 0; i < nodes; i++) {
            String id = "n" + i;
            if (round == 1) {
                writes.add(redis.hset(keys.node(id), Map.of("spec", "gpu-" + (i % 7), "state", "idle", "free", "100",
                        "zix", keys.model("m"), "six", "", "rix", "", "seq", "1")));
                writes.add(redis.zadd(keys.online(), deadline, id));
                writes.add(redis.zadd(keys.model("m"), 100, id));
            } else {
                writes.add(redis.hset(keys.node(id), "seq", Integer.toString(round)));
            }
        }
        if (!LettuceFutures.awaitAll(Duration.ofMinutes(1), writes.toArray(RedisFuture[]::new))) {
            throw new IllegalStateException("the regional Redis did not take round " + round + " within a minute");
        }
    }
}

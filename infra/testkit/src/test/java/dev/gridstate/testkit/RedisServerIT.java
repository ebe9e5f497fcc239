package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisServerIT {

    private static RedisClient client;

    @BeforeAll
    static void createClient() {
        client = RedisClient.create();
    }

    @AfterAll
    static void shutdownClient() {
        client.shutdown();
    }

    @Test
    @DisplayName("a regional server comes back empty after a restart")
    void shouldComeBackEmptyWhenRegionalRestarts() {
        try (RedisServer redis = RedisServer.startRegional()) {
            redis.commands().set("node:1", "up");

            redis.restart();

            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.dbSize()).isZero();
        }
    }

    @Test
    @DisplayName("a central server killed with SIGKILL keeps, after a restart, a write its AOF had taken")
    void shouldKeepWrittenKeyWhenCentralIsKilledAndRestarted() {
        try (RedisServer redis = RedisServer.startCentral()) {
            long aofBefore = persistence(redis, "aof_current_size");
            redis.commands().set("job:7", "claimed");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    persistence(redis, "aof_current_size") > aofBefore
                            && persistence(redis, "aof_buffer_length") == 0
                            && persistence(redis, "aof_pending_bio_fsync") == 0);

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            redis.restart();

            assertThat(redis.commands().get("job:7")).isEqualTo("claimed");
        }
    }

    @Test
    @DisplayName("a hung server times commands out, and answers again once resumed")
    void shouldTimeOutWhileHungAndAnswerAfterResume() {
        try (RedisServer redis = RedisServer.startRegional();
                StatefulRedisConnection<String, String> connection = connect(redis, Duration.ofMillis(300))) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");

            redis.hang();

            assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);
            assertThat(redis.isRunning()).isTrue();

            redis.resume();

            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> "PONG".equals(connection.sync().ping()));
        }
    }

    @Test
    @DisplayName("flushAll empties the server")
    void shouldEmptyServerWhenFlushedAll() {
        try (RedisServer redis = RedisServer.startRegional()) {
            redis.commands().mset(Map.of("a", "1", "b", "2", "c", "3"));
            assertThat(redis.dbSize()).isEqualTo(3);

            redis.flushAll();

            assertThat(redis.dbSize()).isZero();
        }
    }

    @Test
    @DisplayName("a killed server answers nothing until it is restarted")
    void shouldRefuseConnectionsWhenKilled() {
        try (RedisServer redis = RedisServer.startCentral()) {
            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThat(RedisPing.answers(redis.host(), redis.port(), Duration.ofMillis(200))).isFalse();

            redis.restart();

            assertThat(RedisPing.answers(redis.host(), redis.port(), Duration.ofMillis(500))).isTrue();
        }
    }

    @Test
    @DisplayName("close leaves no process behind, even when the server was hung")
    void shouldLeaveNoProcessWhenClosed() {
        RedisServer redis = RedisServer.startRegional();
        long pid = redis.pid().orElseThrow();
        redis.hang();

        redis.close();
        redis.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(RedisPing.answers(redis.host(), redis.port(), Duration.ofMillis(200))).isFalse();
        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    @DisplayName("servers started side by side get their own ports on 127.0.0.1")
    void shouldGiveEachServerItsOwnLoopbackPort() {
        try (RedisServer regional = RedisServer.startRegional(); RedisServer central = RedisServer.startCentral()) {

            regional.commands().set("only", "regional");

            assertThat(regional.port()).isNotEqualTo(central.port()).isNotEqualTo(6379);
            assertThat(regional.uri()).isEqualTo("redis://127.0.0.1:" + regional.port());
            assertThat(central.dbSize()).isZero();
        }
    }

    private static StatefulRedisConnection<String, String> connect(RedisServer redis, Duration timeout) {
        return client.connect(RedisURI.Builder.redis(redis.host(), redis.port()).withTimeout(timeout).build());
    }

    private static long persistence(RedisServer redis, String field) {
        Matcher matcher = Pattern.compile("(?m)^" + field + ":(\\d+)").matcher(redis.commands().info("persistence"));
        if (!matcher.find()) {
            throw new AssertionError(field + " missing from INFO persistence of " + redis);
        }
        return Long.parseLong(matcher.group(1));
    }
}

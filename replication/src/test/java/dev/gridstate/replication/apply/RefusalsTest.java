package dev.gridstate.replication.apply;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisLoadingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalsTest {

    @ParameterizedTest
    @ValueSource(strings = {"message 2 is not JSON", "message 1 is for region us-east, not eu-west",
            "ERR user_script:120: Script attempted to access nonexistent global variable 'x'"})
    void aScriptErrorAboutTheMessagesIsARefusal(String reply) {
        assertThat(Refusals.isRefusal(new RedisCommandExecutionException(reply))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"OOM command not allowed when used memory > 'maxmemory'", "MASTERDOWN Link with MASTER is down",
            "NOPERM this user has no permissions to run the 'evalsha' command", "ERR unknown command 'EVALSHA'",
            "MISCONF Redis is configured to save RDB snapshots"})
    void anErrorAboutCentralItselfIsNoRefusal(String reply) {
        assertThat(Refusals.isRefusal(new RedisCommandExecutionException(reply))).isFalse();
    }

    @Test
    void noAnswerIsNoRefusal() {
        assertThat(Refusals.isRefusal(new RedisConnectionException("Connection refused"))).isFalse();
        assertThat(Refusals.isRefusal(new RedisCommandTimeoutException("timed out"))).isFalse();
        assertThat(Refusals.isRefusal(new RedisLoadingException("LOADING"))).isFalse();
        assertThat(Refusals.isRefusal(new RedisBusyException("BUSY script running"))).isFalse();
    }
}

package dev.gridstate.gateway.auth;

import dev.gridstate.gateway.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthNodeTokensTest {

    private final NodeTokens tokens = new NodeTokens("secret-1", new GatewayConfig("eu-west"));

    @Test
    void shouldIssueTheSameTokenOnEveryReplicaOfARegionAndAnotherOneElsewhere() {
        NodeTokens replica = new NodeTokens("secret-1", new GatewayConfig("eu-west"));
        NodeTokens otherRegion = new NodeTokens("secret-1", new GatewayConfig("us-east"));
        NodeTokens otherSecret = new NodeTokens("secret-2", new GatewayConfig("eu-west"));

        String token = tokens.issue("n1");

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(replica.issue("n1")).isEqualTo(token);
        assertThat(otherRegion.issue("n1")).isNotEqualTo(token);
        assertThat(otherSecret.issue("n1")).isNotEqualTo(token);
        assertThat(tokens.issue("n2")).isNotEqualTo(token);
    }

    @Test
    void shouldVerifyOnlyTheNodesOwnToken() {
        String token = tokens.issue("n1");

        assertThat(tokens.verify("n1", token)).isTrue();
        assertThat(tokens.verify("n2", token)).isFalse();
        assertThat(tokens.verify("n1", token.substring(1))).isFalse();
        assertThat(tokens.verify("n1", null)).isFalse();
        assertThat(tokens.verify("n1", " ")).isFalse();
    }

    @Test
    void shouldIssueConsistentTokensFromManyThreadsAtOnce() throws Exception {
        List<String> expected = IntStream.range(0, 200).mapToObj(i -> tokens.issue("n" + i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> wrong = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> runs = IntStream.range(0, 8).<Future<?>>mapToObj(t -> pool.submit(() -> {
                for (int round = 0; round < 50; round++) {
                    for (int i = 0; i < expected.size(); i++) {
                        if (!tokens.issue("n" + i).equals(expected.get(i))) {
                            wrong.add("n" + i);
                        }
                    }
                }
            })).toList();
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(wrong).isEmpty();
    }

    @Test
    void shouldRefuseABlankSecret() {
        assertThatThrownBy(() -> new NodeTokens(" ", new GatewayConfig("eu-west")))
                .hasMessageStartingWith("gateway.node-token-secret (GATEWAY_NODE_TOKEN_SECRET) is not set");
    }
}

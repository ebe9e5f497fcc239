package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.api.ApiException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeQueriesTest {

    @Test
    void shouldReadEveryFilter() {
        NodeQuery q = NodeQueries.parse(Map.of("model", "llama-3-8b", "version", "q4", "state", "idle",
                "minFreeMemoryMb", "4096", "label", "zone:eu-west-1a", "limit", "7"));

        assertThat(q).isEqualTo(new NodeQuery("llama-3-8b", "q4", NodeState.IDLE, 4096, "zone", "eu-west-1a", 7));
    }

    @Test
    void shouldDefaultToAnyModelAndAHundredNodes() {
        assertThat(NodeQueries.parse(Map.of())).isEqualTo(new NodeQuery(null, null, null, 0, null, null, 100));
    }

    @Test
    void shouldRefuseOutOfRangeLimits() {
        assertThatThrownBy(() -> NodeQueries.parse(Map.of("limit", "1001")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("limit must be between 1 and 1000, but was 1001"));
    }
}

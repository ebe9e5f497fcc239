package dev.gridstate.gateway.events;

import dev.gridstate.gateway.api.ApiException;
import io.micronaut.core.convert.value.ConvertibleMultiValues;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFilterTest {

    @Test
    void shouldPassEverythingWithoutParameters() {
        EventFilter filter = parse(Map.of());

        assertThat(filter).isEqualTo(EventFilter.ALL);
        assertThat(filter.accepts(Events.state("any", "busy"))).isTrue();
    }

    @Test
    void shouldPassOnlyTheNamedNodesAndTypesWhenRepeated() {
        EventFilter filter = parse(Map.of("nodeId", List.of("n1", "n2"), "type", List.of("online", "offline")));

        assertThat(filter.nodeIds()).isEqualTo(Set.of("n1", "n2"));
        assertThat(filter.accepts(Events.presence("n2", "offline"))).isTrue();
        assertThat(filter.accepts(Events.presence("n3", "offline"))).isFalse();
        assertThat(filter.accepts(Events.state("n1", "busy"))).isFalse();
    }

    @Test
    void shouldAlwaysPassAResync() {
        EventFilter filter = parse(Map.of("nodeId", List.of("n1"), "type", List.of("flags")));

        assertThat(filter.accepts(NodeEvent.resync(Events.JSON, 1, 1, "eu-west", "test"))).isTrue();
    }

    @Test
    void shouldRefuseAnUnknownType() {
        assertThatThrownBy(() -> parse(Map.of("type", List.of("onlien"))))
                .isInstanceOf(ApiException.class)
                .hasMessage("type must be one of online, offline, state, flags, deregistered, but was \"onlien\"")
                .extracting("field").isEqualTo("type");
    }

    @Test
    void shouldRefuseAnInvalidNodeId() {
        assertThatThrownBy(() -> parse(Map.of("nodeId", List.of("a b"))))
                .isInstanceOf(ApiException.class)
                .extracting("field").isEqualTo("nodeId");
    }

    @Test
    void shouldRefuseAnUnknownParameter() {
        assertThatThrownBy(() -> parse(Map.of("node", List.of("n1"))))
                .isInstanceOf(ApiException.class)
                .hasMessage("unknown query parameter node; known: nodeId, type");
    }

    private static EventFilter parse(Map<CharSequence, List<String>> params) {
        return EventFilter.parse(ConvertibleMultiValues.of(params));
    }
}

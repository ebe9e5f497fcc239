package dev.gridstate.gateway.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class NodeEventTest {

    @Test
    void shouldKeepThePublishedJsonAndNumberTheEvent() {
        String json = "{\"nodeId\":\"n1\",\"type\":\"state\",\"at\":17,\"state\":\"busy\"}";

        NodeEvent event = NodeEvent.parse(Events.JSON, json, () -> 42).orElseThrow();

        assertThat(event.seq()).isEqualTo(42);
        assertThat(event.nodeId()).isEqualTo("n1");
        assertThat(event.type()).isEqualTo("state");
        assertThat(event.json()).isEqualTo(json);
    }

    @Test
    void shouldGiveOnlineOfflineAndDeregisteredOneKeySoTheNewestPresenceWins() {
        assertThat(Events.presence("n1", "online").key())
                .isEqualTo(Events.presence("n1", "offline").key())
                .isEqualTo(Events.presence("n1", "deregistered").key())
                .isNotEqualTo(Events.presence("n2", "online").key());
    }

    @Test
    void shouldKeyEachFlagApartSoSettingOneNeverHidesAnother() {
        assertThat(Events.flag("n1", "pause", true).key()).isEqualTo(Events.flag("n1", "pause", false).key());
        assertThat(Events.flag("n1", "pause", true).key()).isNotEqualTo(Events.flag("n1", "cooldown", true).key());
    }

    @Test
    void shouldKeyADisconnectionApartFromTheRuntimeState() {
        NodeEvent disconnected = Events.parse("{\"nodeId\":\"n1\",\"type\":\"state\",\"at\":1,\"disconnected\":true,\"until\":9}");

        assertThat(disconnected.key()).isNotEqualTo(Events.state("n1", "busy").key());
        assertThat(Events.state("n1", "idle").key()).isEqualTo(Events.state("n1", "busy").key());
        assertThat(Events.state("n1", "idle").key()).isNotEqualTo(Events.presence("n1", "online").key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"n1\"", "{\"type\":\"state\"}", "{\"nodeId\":\"n1\"}",
            "{\"nodeId\":7,\"type\":\"state\"}", "{\"nodeId\":\"\",\"type\":\"state\"}"})
    void shouldRefuseAMessageThatIsNotANodeEventWithoutUsingANumber(String message) {
        AtomicLong sequence = new AtomicLong();

        assertThat(NodeEvent.parse(Events.JSON, message, sequence::incrementAndGet)).isEmpty();
        assertThat(sequence.get()).isZero();
    }

    @Test
    void shouldWriteAResyncAsJsonThatNamesTheRegionAndTheReason() throws Exception {
        NodeEvent resync = NodeEvent.resync(Events.JSON, 5, 1234, "eu-west", "a \"quoted\" reason");

        var json = Events.JSON.readValue(resync.json(), io.micronaut.json.tree.JsonNode.class);

        assertThat(resync.type()).isEqualTo("resync");
        assertThat(json.get("region").getStringValue()).isEqualTo("eu-west");
        assertThat(json.get("at").getLongValue()).isEqualTo(1234);
        assertThat(json.get("message").getStringValue()).startsWith("a \"quoted\" reason; ");
    }
}

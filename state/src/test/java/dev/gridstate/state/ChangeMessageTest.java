package dev.gridstate.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeMessageTest {

    private static final ChangeLog.Export EXPORT = new ChangeLog.Export("1795311512118000", "[{\"k\":\"{eu-west}:node:n1\"}]", 1);

    @Test
    void aChangeMessageCarriesRegionVersionSinceAndTheExportedEntities() {
        assertThat(ChangeMessage.changes("eu-west", EXPORT, 1795311512000L).toJson()).isEqualTo(
                "{\"region\":\"eu-west\",\"v\":\"1795311512118000\",\"since\":\"1795311512000\","
                        + "\"changes\":[{\"k\":\"{eu-west}:node:n1\"}]}");
    }

    @Test
    void aResyncPageNamesItsResyncAndOnlyTheClosingMessageIsDone() {
        assertThat(ChangeMessage.resyncPage("eu-west", EXPORT, 1L, "r-1", 3).toJson())
                .contains("\"resync\":\"r-1\",\"page\":3").doesNotContain("done");
        assertThat(ChangeMessage.resyncDone("eu-west", "17", 1L, "r-1", 4).toJson()).isEqualTo(
                "{\"region\":\"eu-west\",\"v\":\"17\",\"since\":\"1\",\"resync\":\"r-1\",\"done\":true,\"pages\":4,"
                        + "\"changes\":[]}");
    }

    @Test
    void eachRegionHasItsOwnQueueAndRoutingKeyOnTheSharedExchange() {
        ChangeTopology topology = ChangeTopology.DEFAULT;
        assertThat(topology.queue("eu-west")).isEqualTo("gridstate.changes.eu-west");
        assertThat(topology.routingKey("eu-west")).isEqualTo("region.eu-west");
        assertThat(topology.queue("us-east")).isNotEqualTo(topology.queue("eu-west"));
    }
}

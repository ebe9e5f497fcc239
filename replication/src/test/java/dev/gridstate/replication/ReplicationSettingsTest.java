package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicationSettingsTest {

    @Test
    void refusesToStartWithoutARegion() {
        assertThatThrownBy(() -> settings(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("replication.regions names no region")
                .hasMessageContaining("REPLICATION_REGIONS=eu-west,us-east");
        assertThatThrownBy(() -> settings(List.of())).hasMessageContaining("names no region");
    }

    @Test
    void namesTheBadRegionAndItsPlace() {
        assertThatThrownBy(() -> settings(List.of("eu-west", "EU_West")))
                .hasMessage("replication.regions[1] must match [a-z0-9][a-z0-9-]{0,62}, but was 'EU_West'");
        assertThatThrownBy(() -> settings(List.of("-eu"))).hasMessageContaining("but was '-eu'");
        assertThatThrownBy(() -> settings(List.of("eu-west", "eu-west"))).hasMessageContaining("'eu-west' twice");
    }

    @Test
    void defaultsToTheChangeLogsTopology() {
        ReplicationSettings settings = settings(List.of("eu-west"));

        assertThat(settings.topology()).isEqualTo(ChangeTopology.DEFAULT);
    }

    @Test
    void refusesABatchLargerThanThePrefetch() {
        assertThatThrownBy(() -> new ReplicationSettings(List.of("eu"), null, null, 300, 4L << 20, 256, Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .hasMessage("replication.batch-max-messages must be between 1 and 256, but was 300");
    }

    @Test
    void startUpFailsWithTheMessageWhenTheRegionsAreBad() {
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("replication.regions", "eu-west,Us East")).close())
                .hasRootCauseInstanceOf(ConfigurationException.class)
                .rootCause().hasMessageContaining("replication.regions[1] must match");
    }

    @Test
    void readsTheRegionsFromACommaSeparatedValueAsTheEnvironmentGivesIt() {
        Map<String, Object> props = Map.of("replication.regions", "eu-west,us-east",
                // Nothing listens there: the replicator keeps trying in the background, which is fine here.
                "rabbitmq.uri", "amqp://guest:guest@127.0.0.1:1",
                "micronaut.server.port", -1);

        try (ApplicationContext context = ApplicationContext.run(props)) {
            assertThat(context.getBean(ReplicationSettings.class).regions()).containsExactly("eu-west", "us-east");
        }
    }

    private static ReplicationSettings settings(List<String> regions) {
        return new ReplicationSettings(regions, null, null, 64, 4L << 20, 256, Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofSeconds(2));
    }
}

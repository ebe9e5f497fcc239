package dev.gridstate.agent.sim;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetArgsTest {

    @Test
    void shouldReadRegionsWithOneOrMoreGatewayUrlsAndTheOptions() {
        FleetArgs args = FleetArgs.parse("--gateway", "eu-west=http://127.0.0.1:8081,http://127.0.0.1:8082",
                "--gateway", "us-east=http://127.0.0.1:9081", "--nodes", "300", "--seed", "9", "--threads", "4",
                "--churn-period", "500ms", "--jobs", "--duration", "2m");

        assertThat(args.gateways()).containsOnlyKeys("eu-west", "us-east");
        assertThat(args.gateways().get("eu-west"))
                .containsExactly(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082"));
        assertThat(args.nodesPerRegion()).isEqualTo(300);
        assertThat(args.seed()).isEqualTo(9);
        assertThat(args.threads()).isEqualTo(4);
        assertThat(args.churnPeriod()).contains(Duration.ofMillis(500));
        assertThat(args.duration()).contains(Duration.ofMinutes(2));
        assertThat(args.jobs()).isTrue();
        assertThat(args.help()).isFalse();
    }

    @Test
    void shouldUseTheFleetDefaultsForWhatIsNotGiven() {
        FleetArgs args = FleetArgs.parse("--gateway", "eu-west=http://127.0.0.1:8081");

        assertThat(args.nodesPerRegion()).isEqualTo(SimulatedFleetBuilder.DEFAULT_NODES_PER_REGION);
        assertThat(args.duration()).isEqualTo(Optional.empty());
        assertThat(args.jobs()).as("nodes take no jobs unless asked").isFalse();
        assertThat(args.gateways().get("eu-west")).isEqualTo(List.of(URI.create("http://127.0.0.1:8081")));
    }

    @Test
    void shouldNameTheArgumentThatIsWrong() {
        assertThatThrownBy(() -> FleetArgs.parse("--nodes", "300"))
                .hasMessage("at least one --gateway REGION=URL is required");
        assertThatThrownBy(() -> FleetArgs.parse("--gateway", "http://127.0.0.1:8081"))
                .hasMessage("--gateway wants REGION=URL[,URL...], but was 'http://127.0.0.1:8081'");
        assertThatThrownBy(() -> FleetArgs.parse("--gateway", "a=http://x", "--nodes", "many"))
                .hasMessage("--nodes wants a number, but was 'many'");
        assertThatThrownBy(() -> FleetArgs.parse("--gateway", "a=http://x", "--duration", "soon"))
                .hasMessage("--duration wants a duration such as 10s, 500ms or PT1M, but was 'soon'");
        assertThatThrownBy(() -> FleetArgs.parse("--gatway", "a=http://x"))
                .hasMessage("unknown option '--gatway'");
        assertThatThrownBy(() -> FleetArgs.parse("--gateway"))
                .hasMessage("missing value after --gateway");
    }

    @Test
    void shouldAskForHelp() {
        assertThat(FleetArgs.parse("--help").help()).isTrue();
    }
}

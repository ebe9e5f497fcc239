package dev.gridstate.deploy;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsDocsTest {

    private static final String README = """
            | setting | default | what it does |
            | --- | --- | --- |
            | **essentials** | | |
            | `gateway.admin.token` | none | the bearer token (env `GATEWAY_ADMIN_TOKEN`) |
            | **replication** (`gateway.replication.*`) | | |
            | `exchange`, `queue-prefix` | `a`, `b` | where |

            | call | answer |
            | --- | --- |
            | `PUT /v1/nodes/{nodeId}` | 201 |

            | setting (`gateway.jobs.*`) | default | what it does |
            | --- | --- | --- |
            | `lease` | `30s` | how long |
            """;

    @Test
    void shouldReadFullNamesAndNamesUnderTheirTablesOrSectionsPrefix() {
        Set<String> properties = SettingsDocs.readmeProperties(README);

        assertThat(properties).containsExactlyInAnyOrder("gateway.admin.token", "gateway.replication.exchange",
                "gateway.replication.queue-prefix", "gateway.jobs.lease");
    }

    @Test
    void shouldReadEveryLeafKeyOfAnApplicationYml() {
        Set<String> properties = SettingsDocs.yamlProperties("redis:\n  servers:\n    central:\n      uri: x\nrabbitmq:\n  uri: y\n");

        assertThat(properties).containsExactly("redis.servers.central.uri", "rabbitmq.uri");
    }

    @Test
    void shouldGiveTheEnvironmentFormMicronautReadsBack() {
        assertThat(SettingsDocs.variable("gateway.store.open-for")).isEqualTo("GATEWAY_STORE_OPEN_FOR");
    }

    @Test
    void shouldKnowTheGatewaysDocumentedSettingsThatHaveNoDefault() {
        Program gateway = Program.gateway(Repo.checkedOut());

        assertThat(gateway.variables()).contains("GATEWAY_ADMIN_TOKEN", "GATEWAY_NODE_TOKEN_SECRET", "GATEWAY_JOBS_MODELS",
                "GATEWAY_REPLICATION_FLUSH_INTERVAL", "REDIS_SERVERS_REGIONAL_URI", "MICRONAUT_SERVER_PORT");
        assertThat(gateway.image()).isEqualTo("gridstate/gateway");
        assertThat(gateway.httpPort()).isEqualTo(8080);
    }

    @Test
    void shouldKnowTheReplicatorsRegionsThoughItHasNoDefault() {
        Program replicator = Program.replicator(Repo.checkedOut());

        assertThat(replicator.variables()).contains("REPLICATION_REGIONS", "REPLICATION_BROKER_HEARTBEAT").doesNotContain("GATEWAY_REGION");
        assertThat(replicator.image()).isEqualTo("gridstate/replicator");
        assertThat(replicator.httpPort()).isEqualTo(8090);
    }
}

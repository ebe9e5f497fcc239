package dev.gridstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RabbitNodeEnvironmentTest {

    private final RabbitNodeEnvironment env =
            new RabbitNodeEnvironment(Path.of("/tmp/gridstate-rabbitmq-1"), "gridstate-ab@localhost", 41001, 41002);

    @Test
    void shouldKeepEveryFileOfTheNodeUnderItsWorkDir() {
        Map<String, String> server = env.forServer();

        assertThat(server).containsEntry("HOME", "/tmp/gridstate-rabbitmq-1/home")
                .containsEntry("RABBITMQ_MNESIA_BASE", "/tmp/gridstate-rabbitmq-1/mnesia")
                .containsEntry("RABBITMQ_MNESIA_DIR", "/tmp/gridstate-rabbitmq-1/mnesia/gridstate-ab@localhost")
                .containsEntry("RABBITMQ_LOG_BASE", "/tmp/gridstate-rabbitmq-1/log")
                .containsEntry("RABBITMQ_CONF_ENV_FILE", "/tmp/gridstate-rabbitmq-1/rabbitmq-env.conf")
                .containsEntry("RABBITMQ_PID_FILE", "/tmp/gridstate-rabbitmq-1/rabbitmq.pid");
    }

    @Test
    void shouldListenOnLoopbackPortsOnly() {
        Map<String, String> server = env.forServer();

        assertThat(server).containsEntry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
                .containsEntry("RABBITMQ_NODE_PORT", "41001")
                .containsEntry("RABBITMQ_DIST_PORT", "41002")
                .containsEntry("ERL_EPMD_ADDRESS", "127.0.0.1");
        assertThat(server.get("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS")).contains("inet_dist_use_interface {127,0,0,1}");
    }

    @Test
    void shouldReplaceInheritedRabbitVariablesAndKeepTheRest() {
        Map<String, String> inherited = new HashMap<>(Map.of(
                "PATH", "/usr/bin", "RABBITMQ_NODENAME", "rabbit@localhost", "RABBITMQ_USE_LONGNAME", "true"));

        RabbitNodeEnvironment.apply(inherited, env.forCtl());

        assertThat(inherited).containsEntry("PATH", "/usr/bin")
                .doesNotContainKeys("RABBITMQ_NODENAME", "RABBITMQ_USE_LONGNAME")
                .containsEntry("HOME", "/tmp/gridstate-rabbitmq-1/home");
    }
}

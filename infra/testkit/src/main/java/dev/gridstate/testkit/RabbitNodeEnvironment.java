package dev.gridstate.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of a private RabbitMQ node: everything under its own directory, listening on
 * 127.0.0.1 only, ignoring the machine's /etc/rabbitmq and the shared node's cookie.
 */
record RabbitNodeEnvironment(Path workDir, String nodeName, int amqpPort, int distPort) {

    static final String ENV_PREFIX = "RABBITMQ_";

    Path home() {
        return workDir.resolve("home");
    }

    Path configFile() {
        return workDir.resolve("rabbitmq.conf");
    }

    Path confEnvFile() {
        return workDir.resolve("rabbitmq-env.conf");
    }

    Path enabledPluginsFile() {
        return workDir.resolve("enabled_plugins");
    }

    Path pidFile() {
        return workDir.resolve("rabbitmq.pid");
    }

    Path mnesiaBase() {
        return workDir.resolve("mnesia");
    }

    Path logBase() {
        return workDir.resolve("log");
    }

    /** For rabbitmq-server; applied over the inherited environment minus its RABBITMQ_* variables. */
    Map<String, String> forServer() {
        Map<String, String> env = forCtl();
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(amqpPort));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_MNESIA_BASE", mnesiaBase().toString());
        env.put("RABBITMQ_MNESIA_DIR", mnesiaBase().resolve(nodeName).toString());
        env.put("RABBITMQ_LOG_BASE", logBase().toString());
        env.put("RABBITMQ_CONFIG_FILE", configFile().toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", workDir.resolve("advanced.config").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", enabledPluginsFile().toString());
        env.put("RABBITMQ_PID_FILE", pidFile().toString());
        // The Erlang distribution port, like AMQP, listens on loopback only.
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        return env;
    }

    /** For rabbitmqctl: the same HOME (hence Erlang cookie) and epmd as the node. */
    Map<String, String> forCtl() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home().toString());
        // An empty env file instead of /etc/rabbitmq/rabbitmq-env.conf, which names the shared node.
        env.put("RABBITMQ_CONF_ENV_FILE", confEnvFile().toString());
        // If this node has to start epmd, it listens on loopback only.
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        return env;
    }

    /** Replaces the inherited RABBITMQ_* variables, so a developer's settings cannot leak in. */
    static void apply(Map<String, String> target, Map<String, String> env) {
        target.keySet().removeIf(name -> name.startsWith(ENV_PREFIX));
        target.putAll(env);
    }
}

package dev.gridstate.testkit;

/**
 * A component the tests need (redis-server, redis-cli, RabbitMQ) is neither installed nor reachable
 * through Docker. The message names the missing command and how to install it.
 */
public final class MissingComponentException extends RuntimeException {

    static final String INSTALL_HINT =
            "install it with: sudo infra/local/install.sh (apt-get install -y redis-server redis-tools rabbitmq-server)";

    MissingComponentException(String message) {
        super(message + "; " + INSTALL_HINT);
    }
}

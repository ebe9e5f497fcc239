package dev.gridstate.gateway.jobs;

/** RabbitMQ did not take a job (unreachable, a nack, no confirm in time): intake answers 503. */
class BrokerUnavailableException extends RuntimeException {

    BrokerUnavailableException(String message) {
        super(message);
    }

    BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.gridstate.replication;

import dev.gridstate.replication.apply.Backoff;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How a batch is retried while central does not answer ({@code replication.retry.*}). The batch
 * stays unacknowledged and is tried again, never requeued, so a region's order holds.
 *
 * @param initialDelay the pause after the first failure; it doubles with every further failure
 * @param maxDelay     the longest pause between two attempts
 * @param logInterval  failures are logged at most once per this interval (per region)
 */
@Context
@ConfigurationProperties("replication.retry")
public record RetrySettings(
        @Bindable(defaultValue = "50ms") Duration initialDelay,
        @Bindable(defaultValue = "2s") Duration maxDelay,
        @Bindable(defaultValue = "5s") Duration logInterval) {

    public RetrySettings {
        Checks.positive("replication.retry.initial-delay", initialDelay);
        Checks.positive("replication.retry.max-delay", maxDelay);
        Checks.positive("replication.retry.log-interval", logInterval);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new ConfigurationException("replication.retry.max-delay must be at least"
                    + " replication.retry.initial-delay (" + initialDelay + "), but was " + maxDelay);
        }
    }

    public Backoff backoff() {
        return new Backoff(initialDelay, maxDelay);
    }
}

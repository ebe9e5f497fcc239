package dev.gridstate.gateway.jobs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/**
 * Jobs through RabbitMQ ({@code gateway.jobs.*}).
 *
 * @param enabled            off for a gateway that only serves state (tests of other parts)
 * @param exchange           the direct exchange jobs are published to; dead jobs go to this plus {@code .dead}
 * @param queuePrefix        a model's queue is this plus {@code <region>.<model>}; the dead-letter queue ends in {@code .dead}
 * @param models             models whose queues every replica consumes from the start (others as jobs for them arrive)
 * @param prefetch           unacknowledged jobs one replica holds per model: waiting for a node, or running
 * @param deliveryLimit      the quorum queue's own bound on deliveries of one message: a backstop for
 *                           messages that crash their holders, above any job's maxAttempts
 * @param maxPayload         bytes of a job's payload (JSON as sent); larger is refused with 413
 * @param defaultMaxAttempts attempts of a job that does not say
 * @param maxAttemptsLimit   the most attempts a job may ask for
 * @param lease              how long a node holds an attempt without renewing it
 * @param statusTtl          how long a job's status is kept after its last change
 * @param confirmTimeout     how long intake waits for the broker's confirm before answering 503
 * @param tick               how often held jobs are looked at (waiting for a node, leases)
 * @param reconcileInterval  how often every held job's state is read, in case a signal was missed
 * @param quarantineFailures failed or expired attempts of one node, within the window, that quarantine it; 0 never
 * @param quarantineWindow   the window those failures count in
 * @param quarantineFor      how long a quarantine lasts
 * @param maxWait            the longest long poll for assignments
 */
@ConfigurationProperties("gateway.jobs")
public record JobSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @NotBlank @Bindable(defaultValue = "gridstate.jobs") String exchange,
        @NotBlank @Bindable(defaultValue = "gridstate.jobs.") String queuePrefix,
        @Bindable(defaultValue = "") List<String> models,
        @Min(1) @Max(1000) @Bindable(defaultValue = "32") int prefetch,
        @Min(2) @Bindable(defaultValue = "20") int deliveryLimit,
        @Min(1) @Bindable(defaultValue = "262144") int maxPayload,
        @Min(1) @Bindable(defaultValue = "3") int defaultMaxAttempts,
        @Min(1) @Bindable(defaultValue = "10") int maxAttemptsLimit,
        @NotNull @Bindable(defaultValue = "30s") Duration lease,
        @NotNull @Bindable(defaultValue = "24h") Duration statusTtl,
        @NotNull @Bindable(defaultValue = "5s") Duration confirmTimeout,
        @NotNull @Bindable(defaultValue = "100ms") Duration tick,
        @NotNull @Bindable(defaultValue = "1s") Duration reconcileInterval,
        @Min(0) @Bindable(defaultValue = "3") int quarantineFailures,
        @NotNull @Bindable(defaultValue = "1m") Duration quarantineWindow,
        @NotNull @Bindable(defaultValue = "10m") Duration quarantineFor,
        @NotNull @Bindable(defaultValue = "30s") Duration maxWait) {

    public JobSettings {
        models = models == null ? List.of() : models.stream().filter(m -> !m.isBlank()).toList();
        if (maxAttemptsLimit >= deliveryLimit) {
            throw new IllegalArgumentException("gateway.jobs.delivery-limit (" + deliveryLimit
                    + ") must be above gateway.jobs.max-attempts-limit (" + maxAttemptsLimit
                    + "): the broker's bound is only a backstop");
        }
        if (defaultMaxAttempts > maxAttemptsLimit) {
            throw new IllegalArgumentException("gateway.jobs.default-max-attempts must not be above gateway.jobs.max-attempts-limit");
        }
    }
}

package dev.gridstate.gateway.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One circuit breaker per Redis target, {@code regional} and {@code central}. Calls report to
 * them by hand ({@link #record}), since a state call is asynchronous and only the store knows
 * whether a failure was the Redis's (a timeout, a lost connection) or a reply it did not like.
 * Their state, calls by outcome and transitions are Prometheus metrics
 * ({@code resilience4j_circuitbreaker_*}, {@code gateway_store_breaker_transitions_total}).
 */
@Singleton
public class StoreBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(StoreBreakers.class);

    private final CircuitBreaker regional;
    private final CircuitBreaker central;
    private final StoreSettings settings;

    StoreBreakers(StoreSettings settings, MeterRegistry metrics) {
        settings.check();
        this.settings = settings;
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        this.regional = registry.circuitBreaker("regional", config(settings, settings.regionalSlowCall()));
        this.central = registry.circuitBreaker("central", config(settings, settings.centralSlowCall()));
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(metrics);
        for (CircuitBreaker breaker : new CircuitBreaker[]{regional, central}) {
            breaker.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.StateTransition t = event.getStateTransition();
                Counter.builder("gateway.store.breaker.transitions")
                        .description("circuit breaker state transitions of the state store's Redis targets")
                        .tag("name", event.getCircuitBreakerName())
                        .tag("from", t.getFromState().name().toLowerCase())
                        .tag("to", t.getToState().name().toLowerCase())
                        .register(metrics).increment();
                CircuitBreaker.Metrics m = metricsOf(event.getCircuitBreakerName());
                LOG.warn("state store: the {} Redis breaker went from {} to {} (failed {}%, slow {}% of {} calls)",
                        event.getCircuitBreakerName(), t.getFromState(), t.getToState(), m.getFailureRate(),
                        m.getSlowCallRate(), m.getNumberOfBufferedCalls());
            });
        }
    }

    private CircuitBreaker.Metrics metricsOf(String name) {
        return (name.equals(regional.getName()) ? regional : central).getMetrics();
    }

    private static CircuitBreakerConfig config(StoreSettings settings, Duration slowCall) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) settings.window().toSeconds())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .slowCallRateThreshold(settings.slowCallRate())
                .slowCallDurationThreshold(slowCall)
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.probeCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
    }

    public CircuitBreaker regional() {
        return regional;
    }

    public CircuitBreaker central() {
        return central;
    }

    public CircuitBreaker of(Source source) {
        return source == Source.REGIONAL ? regional : central;
    }

    /** The timeout of a call to {@code source} that names {@code keys} keys. */
    long timeoutNanos(Source source, int keys) {
        Duration base = source == Source.REGIONAL ? settings.regionalTimeout() : settings.centralTimeout();
        return (long) (base.toNanos() * settings.allowance(keys));
    }

    /**
     * Tells {@code source}'s breaker how a call that named {@code keys} keys went: a big call's
     * duration counts as its share per {@link StoreSettings#keysPerTimeout()} keys, so batches
     * are not slow calls by their size alone. {@code failure} is null when the Redis answered.
     */
    void record(Source source, int keys, long startNanos, Throwable failure) {
        long took = (long) ((System.nanoTime() - startNanos) / settings.allowance(keys));
        CircuitBreaker breaker = of(source);
        if (failure == null) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(took, TimeUnit.NANOSECONDS, failure);
        }
    }
}

package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Sends {@link Call}s to a region's gateways without blocking. Transient failures (connect errors,
 * timeouts, 5xx, 429) are retried after a jittered exponential backoff on the next gateway URL,
 * until a final answer arrives or the agent closes; the returned future is empty in that last case
 * and never completes exceptionally.
 */
final class GatewayClient {

    private static final Logger log = LoggerFactory.getLogger(GatewayClient.class);

    private final HttpClient http;
    private final GatewayEndpoints endpoints;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final RandomGenerator random;
    private final Clock clock;
    private final BooleanSupplier closed;

    GatewayClient(AgentConfig config, GatewayEndpoints endpoints, ScheduledExecutorService scheduler,
                  HttpClient http, BooleanSupplier closed) {
        this.http = http;
        this.endpoints = endpoints;
        this.scheduler = scheduler;
        this.backoff = config.backoff();
        this.requestTimeout = config.requestTimeout();
        this.random = config.random();
        this.clock = config.clock();
        this.closed = closed;
    }

    CompletableFuture<Optional<GatewayResponse>> send(Call call) {
        CompletableFuture<Optional<GatewayResponse>> result = new CompletableFuture<>();
        attempt(call, 0, result);
        return result;
    }

    /** One attempt on the current URL, no retry; empty on any failure (logged). */
    CompletableFuture<Optional<GatewayResponse>> sendOnce(Call call) {
        int index = endpoints.currentIndex();
        return http.sendAsync(request(index, call), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        log.warn("{} to {} failed: {}", call.description(), endpoints.uri(index), reason(error));
                        return Optional.<GatewayResponse>empty();
                    }
                    return Optional.of(new GatewayResponse(response.statusCode(), Wire.parse(response.body()),
                            endpoints.uri(index)));
                });
    }

    /**
     * One attempt on the current URL, for a caller that paces its own retries. A transient failure is
     * counted ({@link Call#onTransientFailure}) and moves later calls on to the next URL, as with
     * {@link #send}. The answer is handled on the agent's scheduler; the future never completes
     * exceptionally, and cancelling it aborts the request.
     */
    CompletableFuture<Attempt> tryOnce(Call call) {
        if (closed.getAsBoolean()) {
            return CompletableFuture.completedFuture(Attempt.ABANDONED);
        }
        int index = endpoints.currentIndex();
        HttpRequest request;
        try {
            request = request(index, call);
        } catch (RuntimeException e) {
            log.error("cannot build {} for {}; giving up", call.description(), endpoints.uri(index), e);
            return CompletableFuture.completedFuture(Attempt.ABANDONED);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        // a future of our own, so that cancelling it means exactly one thing: abort this request
        CompletableFuture<Attempt> attempt = new CompletableFuture<>();
        attempt.whenComplete((ignored, failure) -> {
            if (attempt.isCancelled()) {
                exchange.cancel(true);
            }
        });
        // answers are handled on the agent's scheduler, not on a pool of the HTTP client or the JVM
        exchange.handleAsync((response, error) -> {
            if (error != null) {
                if (closed.getAsBoolean() || unwrap(error) instanceof CancellationException) {
                    // aborted on purpose: no reason to blame the gateway and fail over
                    return Attempt.ABANDONED;
                }
                return failed(call, index, reason(error), Duration.ZERO);
            }
            if (isTransient(response.statusCode())) {
                return failed(call, index, "HTTP " + response.statusCode(),
                        RetryAfter.parse(response.headers().firstValue("Retry-After"), clock));
            }
            return new Attempt.Answered(new GatewayResponse(response.statusCode(), Wire.parse(response.body()),
                    endpoints.uri(index)));
        }, scheduler).exceptionally(failure -> {
            if (closed.getAsBoolean()) {
                log.debug("{} abandoned as the agent closed: {}", call.description(), reason(failure));
            } else {
                // a shared scheduler shut down under a live agent, or a bug in handling the answer
                log.error("{} abandoned", call.description(), failure);
            }
            return Attempt.ABANDONED;
        }).thenAccept(attempt::complete);
        return attempt;
    }

    private Attempt failed(Call call, int index, String reason, Duration retryAfter) {
        call.onTransientFailure().run();
        endpoints.failed(index, reason);
        return new Attempt.Failed(reason, retryAfter, endpoints.uri(index));
    }

    private void attempt(Call call, int attempt, CompletableFuture<Optional<GatewayResponse>> result) {
        tryOnce(call).thenAccept(outcome -> {
            switch (outcome) {
                case Attempt.Answered answered -> result.complete(Optional.of(answered.response()));
                case Attempt.Failed failed -> retryLater(call, attempt, failed, result);
                case Attempt.Abandoned abandoned -> result.complete(Optional.empty());
            }
        });
    }

    private void retryLater(Call call, int attempt, Attempt.Failed failed,
                            CompletableFuture<Optional<GatewayResponse>> result) {
        Duration wait = backoff.delay(attempt, failed.retryAfter(), random);
        log.debug("{} to {} failed ({}), attempt {}; retrying in {} ms", call.description(), failed.gateway(),
                failed.reason(), attempt + 1, wait.toMillis());
        try {
            scheduler.schedule(() -> attempt(call, attempt + 1, result), wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("scheduler is shut down; abandoning {}: {}", call.description(), e.toString());
            result.complete(Optional.empty());
        }
    }

    private HttpRequest request(int index, Call call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoints.resolve(index, call.path()))
                .timeout(call.timeout() != null ? call.timeout() : requestTimeout)
                .header("Accept", "application/json");
        String token = call.bearerToken();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (call.body() == null) {
            return builder.method(call.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", "application/json")
                .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body().get()))
                .build();
    }

    static boolean isTransient(int status) {
        return status >= 500 || status == 429;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String reason(Throwable error) {
        Throwable cause = unwrap(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

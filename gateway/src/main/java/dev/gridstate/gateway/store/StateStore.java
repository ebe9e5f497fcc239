package dev.gridstate.gateway.store;

import dev.gridstate.state.LuaScript;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The only way into the region's state. Every state operation is one Lua script, run
 * atomically, so indexes never disagree with records and a script is one round trip.
 *
 * <p>A call goes to the regional Redis while {@link Failover} has it in use, and to central
 * otherwise, or when the regional call failed in a way that shows the Redis, not the call, is
 * at fault. A read goes to central on any such failure (a timeout, a lost connection, a Redis
 * still loading); a write only when it surely did not run on the regional Redis (refused while
 * disconnected, by a Redis that is loading or lost the region), since one that timed out may
 * still be made there: it fails with a 503 instead, which a retry repeats safely. A read that
 * timed out on the regional Redis while central's breaker is open gets one longer try on the
 * regional Redis. Central holds the region's keys under the same names, so it is the same
 * script on another connection. Each target sits behind its own circuit breaker
 * ({@link StoreBreakers}); when neither can take the call, it fails with a
 * {@link StoreUnavailableException} (503, Retry-After) within the two timeouts (a read's second
 * chance takes ten regional timeouts instead of central's).
 *
 * <p>On the regional Redis every script runs after {@code holds-region.lua}: a Redis that lost
 * the region (a FLUSHALL, an empty restart that came back before the breaker noticed) answers
 * {@code NOREGION}, and the call goes to central while {@link Failover} refills it, so no
 * request reads an empty region. A write made on central runs with an epilogue ({@code failback-mark.lua}) that gives each
 * entity it touched a new version and puts it in the region's failback set, so no older change
 * still travelling through the change log overwrites it, and the way back copies it to the
 * regional Redis.
 */
@Singleton
public class StateStore {

    /** The request attribute where the source of a request's state calls is kept for the response header. */
    public static final String SOURCE_ATTRIBUTE = "gridstate.state-source";

    /** Redis replies that say the server cannot take calls now, rather than that the call was wrong. */
    private static final List<String> UNAVAILABLE_REPLIES = List.of(Failover.NO_REGION, "LOADING", "BUSY", "MASTERDOWN",
            "TRYAGAIN", "READONLY", "CLUSTERDOWN", "OOM");

    /** How many regional timeouts a read gets on its second chance, when central could not take it. */
    private static final int SECOND_CHANCE = 10;

    /** Lettuce's message for a command refused while disconnected (DisconnectedBehavior.REJECT_COMMANDS). */
    private static final String REJECTED_WHILE_DISCONNECTED = "Currently not connected";

    private final RedisClusterAsyncCommands<String, String> regional;
    private final CentralRedis central;
    private final StoreBreakers breakers;
    private final Failover failover;
    private final Map<String, LuaScript> guarded = new ConcurrentHashMap<>();
    private final Map<String, LuaScript> marking = new ConcurrentHashMap<>();
    private final Counter fromRegional;
    private final Counter fromCentral;
    /** Script call latency, by the Redis it went to and its outcome: [source][outcome]. */
    private final Timer[][] latency = new Timer[Source.values().length][Outcome.values().length];

    /** How one call to one Redis ended, as the latency metric tags it. */
    private enum Outcome { OK, ERROR, TIMEOUT }

    StateStore(RegionalRedis regional, CentralRedis central,
               StoreBreakers breakers, Failover failover, MeterRegistry metrics) {
        this.regional = regional.async();
        this.central = central;
        this.breakers = breakers;
        this.failover = failover;
        this.fromRegional = answers(metrics, Source.REGIONAL);
        this.fromCentral = answers(metrics, Source.CENTRAL);
        for (Source source : Source.values()) {
            for (Outcome outcome : Outcome.values()) {
                latency[source.ordinal()][outcome.ordinal()] = Timer.builder("gateway.redis.calls")
                        .description("state script calls to one Redis, from sent to answered or timed out")
                        .tag("target", source.wire()).tag("outcome", outcome.name().toLowerCase())
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                        .maximumExpectedValue(Duration.ofSeconds(2)).register(metrics);
            }
        }
    }

    private static Counter answers(MeterRegistry metrics, Source source) {
        return Counter.builder("gateway.store.calls").description("state calls answered, by the Redis that answered")
                .tag("source", source.wire()).register(metrics);
    }

    /** A script that only reads. */
    public <T> CompletionStage<T> read(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return this.<T>readSourced(script, type, keys, args).thenApply(Sourced::value);
    }

    /** {@link #read}, saying which Redis answered: for a caller that acts on where what it read lives. */
    public <T> CompletionStage<Sourced<T>> readSourced(LuaScript script, ScriptOutputType type, String[] keys,
                                                      String... args) {
        return call(script, false, type, keys, args);
    }

    /**
     * A script that changes the entities among its keys (node records, flags, Subclouds); the
     * answer says where it was made, for the change log and the write-through of durable state.
     */
    public <T> CompletionStage<Sourced<T>> write(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return call(script, true, type, keys, args);
    }

    private <T> CompletionStage<Sourced<T>> call(LuaScript script, boolean writes, ScriptOutputType type,
                                                  String[] keys, String[] args) {
        Optional<HttpRequest<Object>> request = ServerRequestContext.currentRequest();
        CompletableFuture<Sourced<T>> answer;
        if (failover.regionalInUse() && breakers.regional().tryAcquirePermission()) {
            LuaScript run = guarded.computeIfAbsent(script.name(), n -> script.precededBy("holds-region"));
            answer = this.<T>attempt(Source.REGIONAL, run, type, keys, args).handle((value, error) -> {
                if (error == null) {
                    return CompletableFuture.completedFuture(new Sourced<>(value, Source.REGIONAL));
                }
                Throwable cause = unwrap(error);
                if (!unavailable(cause)) {
                    return CompletableFuture.<Sourced<T>>failedFuture(cause);
                }
                if (Failover.lostRegion(cause)) {
                    failover.suspectLoss();
                }
                if (writes && !refused(cause)) {
                    return CompletableFuture.<Sourced<T>>failedFuture(new StoreUnavailableException(
                            "the regional Redis did not answer in time (" + cause + "); the change may still be made "
                                    + "there, so it is not repeated on central", cause));
                }
                CompletableFuture<Sourced<T>> onCentral = this.<T>onCentral(script, writes, type, keys, args, cause);
                if (writes || !(cause instanceof TimeoutException)) {
                    return onCentral;
                }
                return onCentral.exceptionallyCompose(centralFailed -> this.<T>secondChance(run, type, keys, args, centralFailed));
            }).thenCompose(stage -> stage);
        } else {
            answer = onCentral(script, writes, type, keys, args, null);
        }
        return answer.thenApply(sourced -> {
            (sourced.source() == Source.REGIONAL ? fromRegional : fromCentral).increment();
            request.ifPresent(r -> note(r, sourced.source()));
            return sourced;
        });
    }

    private <T> CompletableFuture<Sourced<T>> onCentral(LuaScript script, boolean writes, ScriptOutputType type,
                                                        String[] keys, String[] args, Throwable regionalFailure) {
        CircuitBreaker centralBreaker = breakers.central();
        // Half-open, it is Failover's PINGs that probe it, not requests.
        if (centralBreaker.getState() != CircuitBreaker.State.CLOSED || !centralBreaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                    "the regional Redis " + (regionalFailure == null ? "is out" : "failed (" + regionalFailure + ")")
                            + " and central's breaker is " + centralBreaker.getState().name().toLowerCase(), regionalFailure));
        }
        LuaScript run = writes ? marking.computeIfAbsent(script.name(), n -> script.followedBy("failback-mark")) : script;
        return this.<T>attempt(Source.CENTRAL, run, type, keys, args).handle((value, error) -> {
            if (error == null) {
                return new Sourced<>(value, Source.CENTRAL);
            }
            Throwable cause = unwrap(error);
            if (!unavailable(cause)) {
                throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
            }
            StoreUnavailableException failed = new StoreUnavailableException("the regional Redis "
                    + (regionalFailure == null ? "is out" : "failed (" + regionalFailure + ")")
                    + " and central failed (" + cause + ")", cause);
            throw failed;
        });
    }

    /**
     * A read the regional Redis was too slow for, while central is known to be out (its breaker
     * is not closed): the short regional timeout is there to move on to central, so with central
     * out the regional Redis gets {@value #SECOND_CHANCE}× as long, once. A region that is merely
     * slow (a busy host, a GC pause) then still answers, instead of a 503 for a fault of
     * central's. A central that timed out itself gets no second chance from it: both timeouts
     * have passed already, and the 503 is due.
     */
    private <T> CompletableFuture<Sourced<T>> secondChance(LuaScript run, ScriptOutputType type, String[] keys,
                                                           String[] args, Throwable centralFailed) {
        if (!(unwrap(centralFailed) instanceof StoreUnavailableException)
                || breakers.central().getState() == CircuitBreaker.State.CLOSED
                || !breakers.regional().tryAcquirePermission()) {
            return CompletableFuture.failedFuture(unwrap(centralFailed));
        }
        return this.<T>attempt(Source.REGIONAL, run, type, keys, args,
                        breakers.timeoutNanos(Source.REGIONAL, keys.length) * SECOND_CHANCE)
                .handle((value, error) -> {
                    if (error != null) {
                        throw new CompletionException(unwrap(centralFailed));
                    }
                    return new Sourced<>(value, Source.REGIONAL);
                });
    }

    /** One call on one target, through its breaker (permission already taken), bounded by its timeout. */
    private <T> CompletableFuture<T> attempt(Source source, LuaScript script, ScriptOutputType type, String[] keys,
                                             String[] args) {
        return attempt(source, script, type, keys, args, breakers.timeoutNanos(source, keys.length));
    }

    private <T> CompletableFuture<T> attempt(Source source, LuaScript script, ScriptOutputType type, String[] keys,
                                             String[] args, long timeoutNanos) {
        long start = System.nanoTime();
        CompletableFuture<T> call;
        try {
            RedisClusterAsyncCommands<String, String> redis = source == Source.REGIONAL ? regional : central.async();
            call = script.<T>eval(redis, type, keys, args).toCompletableFuture();
        } catch (RuntimeException notConnected) {
            call = CompletableFuture.failedFuture(notConnected);
        }
        return call.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
                .whenComplete((value, error) -> {
                    Throwable cause = error == null ? null : unwrap(error);
                    // A Redis that lost the region answered: it is up, so no failure for its breaker.
                    boolean failed = cause != null && unavailable(cause) && !Failover.lostRegion(cause);
                    breakers.record(source, keys.length, start, failed ? cause : null);
                    Outcome outcome = cause == null ? Outcome.OK : cause instanceof TimeoutException ? Outcome.TIMEOUT : Outcome.ERROR;
                    latency[source.ordinal()][outcome.ordinal()].record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                });
    }

    private static void note(HttpRequest<?> request, Source source) {
        // One central answer makes the whole answer central's.
        if (source == Source.CENTRAL || request.getAttribute(SOURCE_ATTRIBUTE).isEmpty()) {
            request.setAttribute(SOURCE_ATTRIBUTE, source);
        }
    }

    /** True when {@code error} says the Redis could not take the call, not that the call was wrong. */
    static boolean unavailable(Throwable error) {
        if (error instanceof TimeoutException || error instanceof IOException) {
            // IOException: a connection reset under a command in flight (SocketException).
            return true;
        }
        if (error instanceof RedisCommandExecutionException reply) {
            String message = String.valueOf(reply.getMessage());
            return UNAVAILABLE_REPLIES.stream().anyMatch(message::startsWith);
        }
        return error instanceof RedisException;
    }

    /** True when {@code error} says the regional Redis refused the call before running it. */
    static boolean refused(Throwable error) {
        if (error instanceof RedisConnectionException || error instanceof RedisCommandExecutionException) {
            return unavailable(error);
        }
        return error instanceof RedisException && String.valueOf(error.getMessage()).startsWith(REJECTED_WHILE_DISCONNECTED);
    }

    /** The failure inside the completion wrappers of a chain of stages. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}

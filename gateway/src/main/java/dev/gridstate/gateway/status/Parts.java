package dev.gridstate.gateway.status;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/** Each part of a snapshot is read on its own, within a time limit, and a failure becomes its {@code error}. */
final class Parts {

    private Parts() {
    }

    /**
     * {@code stage} within {@code timeout}; on a failure or timeout, what {@code unavailable} makes of
     * the reason instead. The returned future never fails.
     */
    static <T> CompletableFuture<T> within(CompletionStage<T> stage, Duration timeout, Function<String, T> unavailable) {
        return stage.toCompletableFuture().thenApply(Function.<T>identity())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> unavailable.apply(reason(e, timeout)));
    }

    /** A value read, or why it could not be: {@code error} is null when {@code value} is what was read. */
    record Reading<T>(T value, String error) {
    }

    /** {@code stage} within {@code timeout} as a {@link Reading}; the returned future never fails. */
    static <T> CompletableFuture<Reading<T>> reading(CompletionStage<T> stage, Duration timeout) {
        return within(stage.thenApply(v -> new Reading<>(v, null)), timeout, why -> new Reading<>(null, why));
    }

    /** {@code call} as a stage, a throw on the caller's thread (central not connected yet) as a failed one. */
    static <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static String reason(Throwable e, Duration timeout) {
        Throwable cause = unwrap(e);
        if (cause instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return reason(cause);
    }

    static String reason(Throwable e) {
        Throwable cause = unwrap(e);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

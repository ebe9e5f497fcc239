package dev.gridstate.gateway.store;

import dev.gridstate.gateway.store.SteadyLoad.Kind;
import dev.gridstate.gateway.store.SteadyLoad.Sample;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Picking and judging the samples of a {@link SteadyLoad} by time, source and outcome. Times are {@link System#nanoTime()}. */
final class Samples {

    private Samples() {
    }

    /** Sent at or after {@code nanos}. */
    static List<Sample> since(List<Sample> all, long nanos) {
        return all.stream().filter(s -> s.startNanos() >= nanos).toList();
    }

    /** Sent at or after {@code from} and before {@code to}. */
    static List<Sample> startedIn(List<Sample> all, long from, long to) {
        return all.stream().filter(s -> s.startNanos() >= from && s.startNanos() < to).toList();
    }

    /** Sent before {@code to} and answered at or after {@code from}: the requests a fault in between may touch. */
    static List<Sample> touching(List<Sample> all, long from, long to) {
        return all.stream().filter(s -> s.endNanos() >= from && s.startNanos() < to).toList();
    }

    /** {@code nanos}, or the end of time for a moment that never came (-1). */
    static long orNever(long nanos) {
        return nanos < 0 ? Long.MAX_VALUE : nanos;
    }

    /** When the first answer {@code which}, sent at or after {@code from}, came; -1 if none. */
    static long firstEnd(List<Sample> all, long from, Predicate<Sample> which) {
        return since(all, from).stream().filter(which).mapToLong(Sample::endNanos).min().orElse(-1);
    }

    static long count(List<Sample> samples, Predicate<Sample> which) {
        return samples.stream().filter(which).count();
    }

    /** {@code match:2,node:0,…}. */
    static String byKind(List<Sample> samples) {
        StringBuilder kinds = new StringBuilder();
        for (Kind kind : Kind.values()) {
            kinds.append(kinds.isEmpty() ? "" : ",").append(kind.name().toLowerCase()).append(':')
                    .append(count(samples, s -> s.kind() == kind));
        }
        return kinds.toString();
    }

    static Predicate<Sample> wrong() {
        return s -> !s.right();
    }

    static Predicate<Sample> central() {
        return s -> Source.CENTRAL.wire().equals(s.source());
    }

    static Predicate<Sample> regional() {
        return s -> Source.REGIONAL.wire().equals(s.source());
    }

    /**
     * From the regional Redis, or from central after the regional call failed: a per-call fallback,
     * which takes at least {@code regionalTimeout} when the regional Redis is slow rather than gone.
     * A faster central answer shows its replica had switched to central as a whole.
     */
    static Predicate<Sample> regionalOrFallback(Duration regionalTimeout) {
        return regional().or(central().and(s -> s.latencyNanos() >= regionalTimeout.toNanos()));
    }

    /** A 503 with a Retry-After of whole seconds and the store's JSON error. */
    static boolean unavailable(Sample s) {
        return s.status() == 503 && s.retryAfter() != null && s.retryAfter().matches("[1-9][0-9]*") && s.body() != null
                && s.body().contains("\"error\":\"store_unavailable\"") && s.body().contains("\"message\":\"");
    }

    /** At least {@code atLeast} samples, and every one {@code what}; names the first that are not. */
    static void assertAll(List<Sample> samples, int atLeast, Predicate<Sample> which, String what) {
        assertThat(samples).as("answers that should be %s", what).hasSizeGreaterThanOrEqualTo(atLeast);
        List<Sample> not = samples.stream().filter(which.negate()).toList();
        assertThat(not).as("%d of %d answers not %s, first ones: %s", not.size(), samples.size(), what,
                not.stream().limit(5).toList()).isEmpty();
    }

    static void assertNoneWrong(List<Sample> samples, String when) {
        assertAll(samples, 0, wrong().negate(), "right " + when);
    }
}

package dev.gridstate.bench;

import dev.gridstate.bench.load.CompletionListener;
import dev.gridstate.bench.load.LoadGenerator;
import dev.gridstate.bench.load.LoadSpec;
import dev.gridstate.bench.load.RequestSource;

import java.net.URI;
import java.time.Duration;

/** Runs of the load generator, each on its own fresh connections. */
final class LoadDriver {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration COUNT_CHUNK = Duration.ofSeconds(2);

    private LoadDriver() {
    }

    /** Each connection sends again as soon as it is answered. */
    static Load closed(URI base, String name, int connections, Duration warmup, Duration duration, RequestSource source) {
        try (LoadGenerator generator = LoadGenerator.builder(base).connections(connections).build()) {
            return Load.of(generator.run(LoadSpec.closed(name).warmup(warmup).duration(duration).timeout(TIMEOUT).build(),
                    source));
        }
    }

    /** {@code rate} requests/s whatever the answers do; latency from each request's intended start. */
    static Load open(URI base, String name, int connections, double rate, Duration warmup, Duration duration,
                     RequestSource source, CompletionListener listener) {
        try (LoadGenerator generator = LoadGenerator.builder(base).connections(connections).build()) {
            return Load.of(generator.run(LoadSpec.open(name, rate).warmup(warmup).duration(duration).timeout(TIMEOUT)
                    .listener(listener == null ? CompletionListener.NONE : listener).build(), source));
        }
    }

    /**
     * Closed loop in short runs until {@code count} requests were answered 2xx or {@code bound}
     * passed; the last run's figures, with the 2xx answers of all of them.
     */
    static Load count(URI base, String name, int connections, long count, Duration bound, RequestSource source) {
        long deadline = System.nanoTime() + bound.toNanos();
        long ok = 0;
        Load last;
        try (LoadGenerator generator = LoadGenerator.builder(base).connections(connections).build()) {
            do {
                last = Load.of(generator.run(LoadSpec.closed(name).warmup(Duration.ZERO).duration(COUNT_CHUNK)
                        .timeout(TIMEOUT).build(), source));
                ok += last.ok();
            } while (ok < count && System.nanoTime() < deadline);
        }
        return new Load(last.name(), last.rate(), last.completed(), ok, last.errors(), last.errorsByKind(), last.p50(),
                last.p90(), last.p99(), last.p999(), last.max(), last.saturated(), last.result());
    }
}

package dev.gridstate.bench;

import dev.gridstate.bench.load.CompletionListener;
import dev.gridstate.bench.load.RequestSource;
import dev.gridstate.state.Keys;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** What every measurement of one benchmark run shares: its settings, its output, its report. */
record Run(Topology.Settings topology, PrintStream out, Report report, Duration warmup, Duration duration,
           int connections, int nodes, int scaleNodes, List<Integer> rates, boolean sentinelDefault,
           Regions.Plan regions) {

    /** A fixed wait between two looks at something a measurement polls. */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    void say(String format, Object... args) {
        out.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
        out.flush();
    }

    /** As fast as the answers come, on {@code connections} connections. */
    Load closed(URI base, String name, RequestSource source) {
        return LoadDriver.closed(base, name, connections, warmup, duration, source);
    }

    /** At {@code rate} requests/s whatever the answers do, latency from each request's intended start. */
    Load open(URI base, String name, double rate, RequestSource source, CompletionListener listener) {
        return open(base, name, rate, warmup, duration, source, listener);
    }

    Load open(URI base, String name, double rate, Duration warmup, Duration duration, RequestSource source,
              CompletionListener listener) {
        return LoadDriver.open(base, name, connections, rate, warmup, duration, source, listener);
    }

    /**
     * Registers nodes {@code 0 … count-1} through the topology's first gateway, in passes until
     * the regional Redis holds them all online (a refused registration leaves a gap a later pass fills).
     */
    void register(Topology topology, int count) {
        long start = System.nanoTime();
        String online = new Keys(Topology.REGION).online();
        long have = 0;
        for (int pass = 1; pass <= 3; pass++) {
            Load r = LoadDriver.count(topology.gateway(0), "register", connections, count,
                    Duration.ofSeconds(Math.max(60, count / 500)), Workloads.register(0, count));
            have = topology.regional().commands().zcard(online);
            say("registration pass %d: %,d answered 2xx (%,.0f/s, p99 %.1f ms, errors %s); %,d of %,d nodes online",
                    pass, r.ok(), r.rate(), r.p99(), r.errorsByKind(), have, count);
            if (have >= count) {
                say("registered %,d nodes in %.1f s", count, (System.nanoTime() - start) / 1e9);
                return;
            }
        }
        throw new IllegalStateException("only " + have + " of " + count + " nodes registered after 3 passes");
    }
}

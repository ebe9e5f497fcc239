package dev.gridstate.bench;

import dev.gridstate.bench.sentinel.SentinelFailover;
import dev.gridstate.bench.sentinel.SentinelSet;

import java.time.Duration;
import java.util.Optional;

/** The Sentinel side of the failover table, as {@link Failover} reports it. */
final class SentinelRun {

    private SentinelRun() {
    }

    /**
     * A primary/replica pair under three sentinels with {@code downAfterMs} (empty: Redis's
     * default, 30 s), read at the gateway's rate by a Lettuce client whose reconnect delay is
     * capped at {@code reconnectCap} (empty: Lettuce's default, exponential up to 30 s).
     */
    static Failover.Measured measure(Run run, Optional<Duration> downAfter, Optional<Duration> reconnectCap) {
        SentinelSet.Settings set = downAfter.map(d -> SentinelSet.Settings.defaults().withDownAfter(d))
                .orElse(SentinelSet.Settings.defaults());
        SentinelFailover.Settings settings = SentinelFailover.Settings.defaults()
                // the default down-after alone is 30 s, and the failover comes after it
                .withAfterKillBound(downAfter.isPresent() ? Duration.ofSeconds(20) : Duration.ofSeconds(75));
        if (reconnectCap.isPresent()) {
            settings = settings.withReconnectDelayCap(reconnectCap.get());
        }
        String setting = "down-after " + downAfter.map(d -> d.toMillis() + " ms").orElse("default (30 s)")
                + ", Lettuce reconnect " + reconnectCap.map(d -> "capped at " + d.toMillis() + " ms").orElse("default");
        run.say("failover, Sentinel: %s", setting);
        SentinelFailover.Result r = SentinelFailover.measure(set, settings);
        run.say("failover, Sentinel (%s): new master reported after %s; %s", setting,
                r.newMasterReported().map(Report::seconds).orElse("never"), r.figures());
        return new Failover.Measured("Redis Sentinel + Lettuce", setting, r.figures(), null, null, null);
    }
}

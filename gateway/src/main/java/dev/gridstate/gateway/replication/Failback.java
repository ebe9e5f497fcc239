package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.CentralRedis;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The way back from central: copies to the regional Redis every entity gateways wrote on
 * central while it was out of use (the region's failback set, see {@code failback-mark.lua}),
 * as central has it, deletions included, and claims with their leases. An entity written on central again while it is being
 * copied stays in the set for the next page, so nothing written on central is left behind.
 */
@Singleton
public class Failback {

    private static final Logger LOG = LoggerFactory.getLogger(Failback.class);
    private static final LuaScript DONE = LuaScript.load("failback-done");

    private final ReplicationSettings settings;
    private final Keys keys;
    private final RedisClusterAsyncCommands<String, String> regional;
    private final CentralRedis central;
    private final Counter copied;

    Failback(ReplicationSettings settings, Keys keys, RegionalRedis regional,
             CentralRedis central, MeterRegistry metrics) {
        this.settings = settings;
        this.keys = keys;
        this.regional = regional.async();
        this.central = central;
        this.copied = Counter.builder("gateway.store.failback.copied")
                .description("entities written on central during a failover and copied back to the regional Redis")
                .register(metrics);
    }

    /**
     * Copies the failback set to the regional Redis until it is empty, or for at most
     * {@code maxPages} pages. Returns the number of entities copied; throws if either Redis fails.
     */
    public long drain(int maxPages) {
        long total = 0;
        long started = System.currentTimeMillis();
        for (int p = 0; p < maxPages; p++) {
            List<ScoredValue<String>> page = central.sync().zrangeWithScores(keys.failback(), 0, settings.pageSize() - 1);
            if (page.isEmpty()) {
                break;
            }
            List<String> entities = new ArrayList<>(page.size());
            List<String> done = new ArrayList<>(page.size() * 2);
            for (ScoredValue<String> entry : page) {
                entities.add(entry.getValue());
                done.add(entry.getValue());
                done.add(String.format("%.0f", entry.getScore()));
            }
            ChangeLog.copy(central.async(), regional, keys, entities, ChangeLog.Mode.COPY, true, started)
                    .toCompletableFuture().join();
            DONE.<Long>eval(central.async(), ScriptOutputType.INTEGER, new String[]{keys.failback()},
                    done.toArray(String[]::new)).toCompletableFuture().join();
            total += entities.size();
        }
        if (total > 0) {
            copied.increment(total);
            LOG.info("region {}: copied {} entities written on central during the failover back to the regional Redis in {} ms",
                    keys.region(), total, System.currentTimeMillis() - started);
        }
        return total;
    }
}

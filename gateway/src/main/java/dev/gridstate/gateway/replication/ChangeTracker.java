package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.store.Source;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The entities of the region changed since they were last exported, each with the time of its
 * oldest unexported change. Marking is a map insert, so the request path pays nothing more;
 * a key marked many times before its export is exported once, with its newest state.
 *
 * <p>Heartbeats are kept apart: they wait for the heartbeat window, everything else only for
 * the short flush interval.
 */
@Singleton
public class ChangeTracker {

    private final boolean enabled;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Long> changes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> heartbeats = new ConcurrentHashMap<>();

    @Inject
    ChangeTracker(ReplicationSettings settings) {
        this(settings, System::currentTimeMillis);
    }

    ChangeTracker(ReplicationSettings settings, LongSupplier clock) {
        this.enabled = settings.enabled();
        this.clock = clock;
    }

    /**
     * A registration, deregistration, flag, Subcloud or other change of {@code entityKey}, made on
     * {@code where}. A change made on central is there already, and goes back to the regional
     * Redis through the failback set, so it is not exported.
     */
    public void changed(String entityKey, Source where) {
        if (enabled && where == Source.REGIONAL) {
            changes.putIfAbsent(entityKey, clock.getAsLong());
        }
    }

    /** A heartbeat of the node whose record is {@code nodeKey}, made on {@code where}. */
    public void beat(String nodeKey, Source where) {
        if (enabled && where == Source.REGIONAL) {
            heartbeats.putIfAbsent(nodeKey, clock.getAsLong());
        }
    }

    Map<String, Long> takeChanges() {
        return take(changes);
    }

    Map<String, Long> takeHeartbeats() {
        return take(heartbeats);
    }

    /** Marks entities again whose export failed, keeping their oldest change time. */
    void putBack(Map<String, Long> entities) {
        entities.forEach((key, since) -> changes.merge(key, since, Math::min));
    }

    int pending() {
        return changes.size() + heartbeats.size();
    }

    private static Map<String, Long> take(ConcurrentHashMap<String, Long> from) {
        Map<String, Long> taken = new LinkedHashMap<>();
        for (String key : from.keySet()) {
            Long since = from.remove(key);
            if (since != null) {
                taken.put(key, since);
            }
        }
        return taken;
    }
}

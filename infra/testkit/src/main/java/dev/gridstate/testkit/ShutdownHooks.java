package dev.gridstate.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM shutdown hook that stops whatever the testkit started and nobody closed, newest
 * first. Actions deregister themselves when their owner is closed normally.
 */
final class ShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);
    private static final Map<Long, Action> ACTIONS = new LinkedHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static boolean installed;

    private ShutdownHooks() {
    }

    record Action(String description, Runnable cleanup) {
    }

    /** Registers a cleanup; the returned id deregisters it. */
    static synchronized long register(String description, Runnable cleanup) {
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownHooks::runAll, "gridstate-testkit-shutdown"));
            installed = true;
        }
        long id = IDS.incrementAndGet();
        ACTIONS.put(id, new Action(description, cleanup));
        return id;
    }

    static synchronized void deregister(long id) {
        ACTIONS.remove(id);
    }

    private static void runAll() {
        List<Action> pending;
        synchronized (ShutdownHooks.class) {
            pending = new ArrayList<>(ACTIONS.values()).reversed();
            ACTIONS.clear();
        }
        for (Action action : pending) {
            try {
                action.cleanup().run();
            } catch (RuntimeException e) {
                LOG.warn("shutdown cleanup of {} failed", action.description(), e);
            }
        }
    }
}

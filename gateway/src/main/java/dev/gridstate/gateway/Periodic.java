package dev.gridstate.gateway;

import io.micronaut.scheduling.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Periodic work owned by one bean instance: started by the bean, cancelled by its
 * {@code @PreDestroy}. We do not use {@code @Scheduled} for it: Micronaut's scheduled task looks its
 * bean up in the context on every run, and a run that falls into the context's shutdown creates
 * the destroyed bean again, with everything it depends on (the state store, the failover loop,
 * pub/sub connections), which then run on with nothing to stop them (micronaut-core issue 6881).
 * Seen here as a stopped replica whose failover loop went on probing closed connections.
 */
public final class Periodic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private final ScheduledFuture<?> future;

    private Periodic(ScheduledFuture<?> future) {
        this.future = future;
    }

    /**
     * Runs {@code task} every {@code delay} (between the end of one run and the start of the next)
     * after {@code initialDelay}, on {@code scheduler}. A run that throws is logged and the next
     * one runs as planned.
     */
    public static Periodic every(TaskScheduler scheduler, String name, Duration initialDelay, Duration delay, Runnable task) {
        return new Periodic(scheduler.scheduleWithFixedDelay(initialDelay, delay, () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: a periodic run failed: {}", name, e.toString());
            }
        }));
    }

    @Override
    public void close() {
        future.cancel(false);
    }
}

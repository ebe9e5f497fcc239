package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.Periodic;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import dev.gridstate.state.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes nodes whose heartbeat expired out of every index. Answers never wait for it (a query
 * checks each deadline itself); it keeps the indexes small. Every replica runs it: the sweep
 * script is atomic, so two replicas never take one node offline twice.
 */
@Context
class OfflineSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineSweeper.class);

    private final NodeRegistry registry;
    private final RegistrySettings settings;
    private final Keys keys;
    private final Periodic periodic;

    OfflineSweeper(NodeRegistry registry, RegistrySettings settings, Keys keys,
                   @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.registry = registry;
        this.settings = settings;
        this.keys = keys;
        this.periodic = Periodic.every(scheduler, "offline sweep", Duration.ofSeconds(1), settings.sweepInterval(), this::sweep);
    }

    @PreDestroy
    void stop() {
        periodic.close();
    }

    void sweep() {
        try {
            List<String> offline;
            do {
                offline = registry.sweep().toCompletableFuture().get(settings.sweepInterval().toMillis() * 4 + 1000, TimeUnit.MILLISECONDS);
                if (!offline.isEmpty()) {
                    LOG.info("region {}: {} node(s) offline after missing heartbeats: {}", keys.region(), offline.size(),
                            offline.size() <= 10 ? offline : offline.subList(0, 10) + "…");
                }
            } while (offline.size() >= settings.sweepBatch());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("region {}: offline sweep failed, next try in {}: {}", keys.region(), settings.sweepInterval(), e.toString());
        }
    }
}

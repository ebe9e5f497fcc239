package dev.gridstate.gateway.jobs;

import dev.gridstate.gateway.Periodic;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import dev.gridstate.gateway.store.ChannelSubscription;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.Keys;
import io.lettuce.core.RedisClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The region's jobs channel on both Redis servers (the scripts publish on whichever one the
 * gateways use): {@code work <nodeId>} wakes the node's long polls, {@code done <jobId> [model]}
 * tells the holder of the job's message that an attempt ended (and that a node of that model may
 * be free). Signals only hurry things up: the
 * dispatcher and the long polls also look for themselves, so a missed one costs time, not a job.
 */
@Context
@Requires(property = "gateway.jobs.enabled", notEquals = "false")
class JobSignals {

    private final List<Consumer<String>> work = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, String>> done = new CopyOnWriteArrayList<>();
    private final List<Runnable> missed = new CopyOnWriteArrayList<>();
    private final List<ChannelSubscription> subscriptions;
    private final Periodic reconnect;

    JobSignals(RegionalRedis regional, @Named("central") RedisClient central, Keys keys,
               @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.subscriptions = List.of(
                new ChannelSubscription("regional", regional::connectPubSub, keys.jobsChannel(), this::signal, this::resubscribed),
                new ChannelSubscription("central", central::connectPubSub, keys.jobsChannel(), this::signal, this::resubscribed));
        this.reconnect = Periodic.every(scheduler, "jobs subscriptions", Duration.ofSeconds(1), Duration.ofSeconds(1),
                () -> subscriptions.forEach(ChannelSubscription::connectIfNeeded));
    }

    void onWork(Consumer<String> nodeId) {
        work.add(nodeId);
    }

    /** Called with the job id and its model, or null when the signal does not name it. */
    void onDone(BiConsumer<String, String> jobIdAndModel) {
        done.add(jobIdAndModel);
    }

    /** After a gap in the subscription: signals may have been missed. */
    void onMissed(Runnable action) {
        missed.add(action);
    }

    private void signal(String message) {
        int space = message.indexOf(' ');
        if (space < 0) {
            return;
        }
        String id = message.substring(space + 1);
        switch (message.substring(0, space)) {
            case "work" -> work.forEach(c -> c.accept(id));
            case "done" -> {
                String[] idModel = id.split(" ", 2);
                String model = idModel.length == 2 && !idModel[1].isEmpty() ? idModel[1] : null;
                done.forEach(c -> c.accept(idModel[0], model));
            }
            default -> {
                // a newer gateway's signal: nothing to do here
            }
        }
    }

    private void resubscribed() {
        missed.forEach(Runnable::run);
    }

    @PreDestroy
    void close() {
        reconnect.close();
        subscriptions.forEach(ChannelSubscription::close);
    }
}

package dev.gridstate.gateway.events;

import dev.gridstate.gateway.Periodic;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import dev.gridstate.gateway.store.ChannelSubscription;
import dev.gridstate.gateway.store.RegionalRedis;
import dev.gridstate.state.Keys;
import io.lettuce.core.RedisClient;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.List;

/**
 * The region's events channel, subscribed on both Redis servers: node events are published by
 * the scripts that change nodes, on whichever Redis the gateways use, the regional one or, while
 * they fail over, central. The replicator publishes none, so no event arrives twice.
 */
@Context
class RegionSubscriptions {

    private final List<ChannelSubscription> subscriptions;
    private final Periodic reconnect;

    RegionSubscriptions(RegionalRedis regional, @Named("central") RedisClient central, Keys keys,
                        EventHub hub, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.subscriptions = List.of(
                new ChannelSubscription("regional", regional::connectPubSub, keys.events(), hub::publish, hub::resync),
                new ChannelSubscription("central", central::connectPubSub, keys.events(), hub::publish, hub::resync));
        this.reconnect = Periodic.every(scheduler, "events subscriptions", Duration.ofSeconds(1), Duration.ofSeconds(1),
                () -> subscriptions.forEach(ChannelSubscription::connectIfNeeded));
    }

    @PreDestroy
    void close() {
        reconnect.close();
        subscriptions.forEach(ChannelSubscription::close);
    }
}

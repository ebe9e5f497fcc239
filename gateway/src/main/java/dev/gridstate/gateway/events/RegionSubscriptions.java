package dev.gridstate.gateway.events;

import dev.gridstate.gateway.store.ChannelSubscription;
import dev.gridstate.state.Keys;
import io.lettuce.core.RedisClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

import java.util.List;

/**
 * The region's events channel, subscribed on both Redis servers: node events are published by
 * the scripts that change nodes, on whichever Redis the gateways use, the regional one or, while
 * they fail over, central. The replicator publishes none, so no event arrives twice.
 */
@Context
class RegionSubscriptions {

    private final List<ChannelSubscription> subscriptions;

    RegionSubscriptions(@Named("regional") RedisClient regional, @Named("central") RedisClient central, Keys keys,
                        EventHub hub) {
        this.subscriptions = List.of(
                new ChannelSubscription("regional", regional, keys.events(), hub::publish, hub::resync),
                new ChannelSubscription("central", central, keys.events(), hub::publish, hub::resync));
    }

    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void connectIfNeeded() {
        subscriptions.forEach(ChannelSubscription::connectIfNeeded);
    }

    @PreDestroy
    void close() {
        subscriptions.forEach(ChannelSubscription::close);
    }
}

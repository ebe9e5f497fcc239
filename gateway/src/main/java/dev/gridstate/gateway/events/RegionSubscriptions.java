package dev.gridstate.gateway.events;

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

    private final List<RegionSubscription> subscriptions;

    RegionSubscriptions(@Named("regional") RedisClient regional, @Named("central") RedisClient central, Keys keys,
                        EventHub hub) {
        this.subscriptions = List.of(new RegionSubscription("regional", regional, keys, hub),
                new RegionSubscription("central", central, keys, hub));
    }

    @Scheduled(fixedDelay = "1s", initialDelay = "1s")
    void connectIfNeeded() {
        subscriptions.forEach(RegionSubscription::connectIfNeeded);
    }

    @PreDestroy
    void close() {
        subscriptions.forEach(RegionSubscription::close);
    }
}

package dev.gridstate.gateway.store;

import dev.gridstate.gateway.GatewayConfig;
import dev.gridstate.state.Keys;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The key layout of the region this gateway serves. */
@Factory
class StoreFactory {

    @Singleton
    Keys keys(GatewayConfig config) {
        return new Keys(config.region());
    }
}

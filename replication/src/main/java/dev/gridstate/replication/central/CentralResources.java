package dev.gridstate.replication.central;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The threads and timers of central's client, shut down with the context (micronaut-redis would
 * build its own and leave them running). Reconnects at least once a second: Lettuce's default backs
 * off to 30 s, which would leave a restarted central unwritten for that long.
 */
@Factory
class CentralResources {

    private static final Duration FIRST_RECONNECT = Duration.ofMillis(50);
    private static final Duration LONGEST_RECONNECT = Duration.ofSeconds(1);

    @Singleton
    @Named("central")
    @Bean(preDestroy = "shutdown")
    ClientResources centralClientResources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(FIRST_RECONNECT, LONGEST_RECONNECT, 2, TimeUnit.MILLISECONDS))
                .build();
    }
}

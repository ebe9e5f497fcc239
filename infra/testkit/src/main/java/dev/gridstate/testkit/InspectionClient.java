package dev.gridstate.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * One Lettuce client per JVM for the testkit's own look at the servers, so that every
 * {@link RedisServer} does not start its own event loops. Its threads are daemons.
 */
final class InspectionClient {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private InspectionClient() {
    }

    private static final class Holder {
        private static final RedisClient CLIENT = RedisClient.create();
    }

    static StatefulRedisConnection<String, String> connect(String host, int port) {
        RedisURI uri = RedisURI.Builder.redis(host, port).withTimeout(COMMAND_TIMEOUT).build();
        return Holder.CLIENT.connect(uri);
    }
}

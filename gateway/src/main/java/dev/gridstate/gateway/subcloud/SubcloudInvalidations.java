package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.Periodic;
import dev.gridstate.gateway.store.RegionalRedis;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import dev.gridstate.state.Keys;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Drops this replica's cached copy of a Subcloud when any replica changes it: the put and delete
 * scripts publish the id on {@link Keys#subcloudChanges()}, which every replica subscribes to on
 * its own pub/sub connection to the regional Redis.
 *
 * <p>Pub/sub delivers at most once, so the cache is only trusted while subscribed (see
 * {@link SubcloudCache}): it is turned off when the connection drops, and back on, empty, when
 * the subscription is confirmed again (Lettuce reconnects and re-subscribes by itself). If Redis
 * does not answer at start-up, the gateway starts anyway, without the near cache, and tries
 * again every second.
 */
@Context
class SubcloudInvalidations {

    private static final Logger LOG = LoggerFactory.getLogger(SubcloudInvalidations.class);

    private final RegionalRedis redis;
    private final SubcloudCache cache;
    private final String channel;
    private final String region;
    private final Periodic reconnect;
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private boolean failedBefore;

    private final RedisPubSubListener<String, String> messages = new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String id) {
            if (channel.equals(from)) {
                cache.invalidate(id);
            }
        }

        @Override
        public void subscribed(String to, long count) {
            if (channel.equals(to) && cache.resume()) {
                LOG.info("region {}: subscribed to {}; Subcloud near cache on", region, channel);
            }
        }
    };

    private final RedisConnectionStateListener drops = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (cache.suspend()) {
                LOG.warn("region {}: lost the subscription to {}; Subcloud near cache off until it is back", region, channel);
            }
        }
    };

    SubcloudInvalidations(RegionalRedis redis, Keys keys, SubcloudCache cache,
                          @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.redis = redis;
        this.cache = cache;
        this.channel = keys.subcloudChanges();
        this.region = keys.region();
        connect();
        this.reconnect = Periodic.every(scheduler, "Subcloud invalidations", Duration.ofSeconds(1), Duration.ofSeconds(1),
                this::connectIfNeeded);
    }

    void connectIfNeeded() {
        if (connection == null) {
            connect();
        }
    }

    private synchronized void connect() {
        if (connection != null) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> opened = null;
        try {
            opened = redis.connectPubSub();
            opened.addListener(messages);
            opened.addListener(drops);
            connection = opened;
            opened.sync().subscribe(channel);
        } catch (RedisException e) {
            connection = null;
            if (opened != null) {
                opened.closeAsync();
            }
            if (!failedBefore) {
                failedBefore = true;
                LOG.warn("region {}: cannot subscribe to {} yet, trying every second; "
                        + "Subclouds are read without the near cache meanwhile: {}", region, channel, e.toString());
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        reconnect.close();
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}

package dev.gridstate.replication;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.gridstate.replication.broker.Headers;
import dev.gridstate.state.ChangeLog;
import dev.gridstate.state.ChangeMessage;
import dev.gridstate.state.ChangeTopology;
import dev.gridstate.state.Keys;
import dev.gridstate.state.ReplicatedState;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A region as a gateway would run it, for tests: state written into its own regional
 * redis-server with raw commands, exported with the change log, and published to the broker
 * with a gateway's headers, persistent and confirmed.
 */
final class TestRegion implements AutoCloseable {

    private final String name;
    private final Keys keys;
    private final ChangeTopology topology;
    private final RedisServer regional;
    private final RedisClient client = RedisClient.create();
    private final StatefulRedisConnection<String, String> connection;
    private final Connection amqp;
    private final Channel channel;

    /** A message as published: its body and the headers that went with it. */
    record Change(String body, String version, long since) {
    }

    TestRegion(String name, ChangeTopology topology) {
        this.name = name;
        this.keys = new Keys(name);
        this.topology = topology;
        this.regional = RedisServer.startRegional();
        this.connection = client.connect(RedisURI.create(regional.uri()));
        try {
            this.amqp = RabbitBroker.shared().connectionFactory().newConnection("test-gateway-" + name);
            this.channel = amqp.createChannel();
            topology.declare(channel, name);
            channel.confirmSelect();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot reach the test broker", e);
        }
    }

    String name() {
        return name;
    }

    Keys keys() {
        return keys;
    }

    RedisServer regional() {
        return regional;
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** For pipelining many writes (benchmarks). */
    RedisAsyncCommands<String, String> redisAsync() {
        return connection.async();
    }

    /** Publishes without waiting for the broker's confirm; {@link #awaitConfirms()} waits for all of them. */
    void publishUnconfirmed(Change change) {
        try {
            channel.basicPublish(topology.exchange(), topology.routingKey(name), properties(change.version(), change.since()),
                    change.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot publish to " + topology.exchange(), e);
        }
    }

    void awaitConfirms() {
        try {
            channel.waitForConfirmsOrDie(60_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("the broker did not confirm every message", e);
        }
    }

    void flush() {
        redis().flushall();
    }

    /** A node record as the gateway writes it at registration (see ChangeLogIT). */
    void registerNode(String id, String spec) {
        redis().hset(keys.node(id), Map.of("spec", spec, "state", "idle", "free", "100",
                "zix", keys.model("m"), "six", "", "rix", "", "claim", "c-1"));
        redis().zadd(keys.online(), System.currentTimeMillis() + 600_000, id);
        redis().zadd(keys.model("m"), 100, id);
    }

    void updateNode(String id, String field, String value) {
        redis().hset(keys.node(id), field, value);
    }

    void deleteNode(String id) {
        redis().del(keys.node(id));
        redis().zrem(keys.online(), id);
        redis().zrem(keys.model("m"), id);
    }

    void setFlag(String nodeId, String kind) {
        redis().set(keys.flag(nodeId, kind), "{\"type\":\"" + kind + "\"}");
    }

    /** The current state of these nodes, as one change-log message. */
    Change exportNodes(String... ids) {
        return export(Arrays.stream(ids).map(keys::node).toList());
    }

    Change export(List<String> entityKeys) {
        long since = System.currentTimeMillis();
        ChangeLog.Export export = ChangeLog.export(connection.async(), keys, entityKeys).toCompletableFuture().join();
        return new Change(ChangeMessage.changes(name, export, since).toJson(), export.version(), since);
    }

    /** Exports these nodes and publishes the message. */
    Change publishNodes(String... ids) {
        Change change = exportNodes(ids);
        publish(change);
        return change;
    }

    void publish(Change change) {
        publish(change.body(), change.version(), change.since());
    }

    void publish(String body, String version, long since) {
        try {
            channel.basicPublish(topology.exchange(), topology.routingKey(name), properties(version, since),
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + topology.exchange(), e);
        }
    }

    /** A gateway's properties: persistent JSON with the region, version and since headers. */
    private AMQP.BasicProperties properties(String version, long since) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .headers(Map.of(Headers.REGION, name, Headers.VERSION, version, Headers.SINCE, since))
                .build();
    }

    /** The keys replication is responsible for on {@code server}, with their values; clock and bookkeeping left out. */
    Map<String, String> replicated(RedisServer server) {
        return replicated(server.commands());
    }

    Map<String, String> replicatedHere() {
        return replicated(redis());
    }

    private Map<String, String> replicated(RedisCommands<String, String> redis) {
        return ReplicatedState.of(redis, keys);
    }

    @Override
    public void close() {
        try {
            amqp.abort(2_000);
        } finally {
            connection.close();
            client.shutdown();
            regional.close();
        }
    }
}

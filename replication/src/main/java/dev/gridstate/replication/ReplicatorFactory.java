package dev.gridstate.replication;

import dev.gridstate.replication.broker.BrokerConnection;
import dev.gridstate.replication.central.CentralStore;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The replicator's two ends, central Redis and RabbitMQ, and its clock. */
@Factory
class ReplicatorFactory {

    static final String RABBITMQ_URI = "rabbitmq.uri";

    @Singleton
    CentralStore centralStore(@Named("central") BeanProvider<StatefulRedisConnection<String, String>> connection,
                              ReplicationSettings settings) {
        if (!connection.isPresent()) {
            throw new ConfigurationException("redis.servers.central.uri is not set: the replicator needs central Redis"
                    + " (e.g. REDIS_SERVERS_CENTRAL_URI='redis://10.0.9.1:6379?timeout=2s')");
        }
        return new CentralStore(connection::get, settings.applyTimeout());
    }

    @Singleton
    BrokerConnection brokerConnection(@Value("${" + RABBITMQ_URI + "}") String uri, BrokerSettings settings) {
        return new BrokerConnection(uri, RABBITMQ_URI, new BrokerConnection.Timeouts(settings.connectTimeout(),
                settings.rpcTimeout(), settings.heartbeat(), settings.recoveryInterval(), settings.closeTimeout()));
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}

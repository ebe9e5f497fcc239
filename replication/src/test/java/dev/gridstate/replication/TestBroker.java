package dev.gridstate.replication;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RabbitBroker;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Change-log topologies with names unique to the test run, and their removal. */
final class TestBroker {

    private TestBroker() {
    }

    /**
     * A topology of this run's own, whose queues for {@code regions} are remembered with the
     * names handed out: deleted by {@link #deleteAll}, or when the JVM exits if a test never got there.
     */
    static ChangeTopology uniqueTopology(String... regions) {
        RabbitBroker broker = RabbitBroker.shared();
        String queueBase = broker.uniqueName("changes");
        for (String region : regions) {
            broker.derivedName(queueBase, "." + region);
        }
        return new ChangeTopology(broker.uniqueName("changes"), queueBase + ".");
    }

    /** Messages ready in the region's queue (delivered, unacknowledged ones not counted). */
    static long ready(ChangeTopology topology, String region) {
        try (Connection connection = RabbitBroker.shared().connectionFactory().newConnection("test-count");
             Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(topology.queue(region)).getMessageCount();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot count queue " + topology.queue(region), e);
        }
    }

    /** Deletes the regions' queues of {@code topologies}, then every name the broker handed out. */
    static void deleteAll(List<ChangeTopology> topologies, String... regions) {
        try (Connection connection = RabbitBroker.shared().connectionFactory().newConnection("test-cleanup")) {
            for (ChangeTopology topology : topologies) {
                for (String region : regions) {
                    Channel channel = connection.createChannel();
                    try {
                        channel.queueDelete(topology.queue(region));
                    } catch (IOException absent) {
                        // Never declared by this test: nothing to delete (the error closed the channel).
                    } finally {
                        channel.abort();
                    }
                }
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot delete the test queues", e);
        } finally {
            RabbitBroker.shared().deleteNamesHandedOut();
        }
    }
}

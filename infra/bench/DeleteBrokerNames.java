import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Deletes a bench run's queues and exchange from the broker. Run with the replicator's jar on
 * the class path (it carries amqp-client): java -cp replication/target/replicator.jar
 * infra/bench/DeleteBrokerNames.java <amqp-uri> <exchange> <queue>...
 */
public class DeleteBrokerNames {
    public static void main(String[] args) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args[0]);
        try (Connection connection = factory.newConnection("bench-cleanup"); Channel channel = connection.createChannel()) {
            for (int i = 2; i < args.length; i++) {
                channel.queueDelete(args[i]);
            }
            channel.exchangeDelete(args[1]);
        }
    }
}

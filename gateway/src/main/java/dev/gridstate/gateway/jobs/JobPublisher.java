package dev.gridstate.gateway.jobs;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.gridstate.state.Keys;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes submitted jobs with publisher confirms: a job's future completes only when the
 * broker has it (on a quorum queue: on a majority of its replicas); it fails on a nack, on an
 * unroutable message, on a lost connection, or after {@code confirm-timeout}. One thread owns
 * the connection and publishes; confirms arrive on the client's thread and may cover many
 * messages at once. After a failed connect, publishes fail at once for a second, so intake
 * answers 503 quickly instead of queueing behind connect timeouts.
 */
@Singleton
class JobPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(JobPublisher.class);
    private static final long QUIET_AFTER_FAILURE_MS = 1_000;

    private final JobSettings settings;
    private final JobTopology topology;
    private final ConnectionFactory factory;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-publisher").daemon().factory());
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();
    private final Map<String, CompletableFuture<Void>> byJob = new ConcurrentHashMap<>();
    private final Set<String> declared = new HashSet<>();
    private Connection connection;
    private Channel channel;
    private long failedAt;

    JobPublisher(JobSettings settings, Keys keys, @Value("${rabbitmq.uri}") String uri) {
        this.settings = settings;
        this.topology = JobTopology.of(settings, keys.region());
        this.factory = Broker.connections(uri);
    }

    CompletableFuture<Void> publish(JobMessage job) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        thread.execute(() -> send(job, confirmed));
        ScheduledFuture<?> timeout = thread.schedule(() -> confirmed.completeExceptionally(new BrokerUnavailableException(
                "the broker did not confirm the job within " + settings.confirmTimeout().toMillis() + " ms")),
                settings.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        confirmed.whenComplete((ok, error) -> {
            timeout.cancel(false);
            byJob.remove(job.jobId(), confirmed);
        });
        return confirmed;
    }

    private void send(JobMessage job, CompletableFuture<Void> confirmed) {
        if (confirmed.isDone()) {
            return;
        }
        try {
            Channel ch = channel();
            declared(ch, job.model());
            long seq = ch.getNextPublishSeqNo();
            unconfirmed.put(seq, confirmed);
            byJob.put(job.jobId(), confirmed);
            ch.basicPublish(topology.exchange(), topology.routingKey(job.model()), true, job.properties(), job.payload());
        } catch (Exception e) {
            confirmed.completeExceptionally(e instanceof BrokerUnavailableException b ? b
                    : new BrokerUnavailableException("cannot publish to the broker: " + e.getMessage(), e));
            disconnect(e);
        }
    }

    private void declared(Channel ch, String model) throws Exception {
        if (declared.add(model)) {
            try {
                topology.declare(ch, model);
            } catch (Exception e) {
                declared.remove(model);
                throw e;
            }
        }
    }

    private Channel channel() throws Exception {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        if (System.currentTimeMillis() - failedAt < QUIET_AFTER_FAILURE_MS) {
            throw new BrokerUnavailableException("the broker was unreachable less than a second ago");
        }
        disconnect(null);
        try {
            connection = factory.newConnection("gateway-" + topology.region() + "-jobs-intake");
            Channel ch = connection.createChannel();
            ch.confirmSelect();
            ch.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
                    (seq, multiple) -> settle(seq, multiple, new BrokerUnavailableException("the broker refused the job (nack)")));
            ch.addReturnListener(r -> {
                CompletableFuture<Void> f = byJob.remove(r.getProperties().getMessageId());
                if (f != null) {
                    f.completeExceptionally(new BrokerUnavailableException("the broker could not route the job: " + r.getReplyText()));
                }
            });
            ch.addShutdownListener(cause -> failAll(new BrokerUnavailableException("the broker connection closed: " + cause.getMessage())));
            channel = ch;
            declared.clear();
            return ch;
        } catch (Exception e) {
            failedAt = System.currentTimeMillis();
            throw e;
        }
    }

    private void settle(long seq, boolean multiple, Exception error) {
        Map<Long, CompletableFuture<Void>> settled = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
        for (var it = settled.entrySet().iterator(); it.hasNext(); ) {
            CompletableFuture<Void> f = it.next().getValue();
            it.remove();
            if (error == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(error);
            }
        }
    }

    private void failAll(Exception error) {
        for (var it = unconfirmed.entrySet().iterator(); it.hasNext(); ) {
            it.next().getValue().completeExceptionally(error);
            it.remove();
        }
    }

    private void disconnect(Exception cause) {
        if (cause != null) {
            LOG.warn("jobs: publishing failed, reconnecting on the next job: {}", cause.toString());
        }
        Connection c = connection;
        connection = null;
        channel = null;
        if (c != null) {
            try {
                c.abort(1_000);
            } catch (RuntimeException ignored) {
                // closing what is broken already
            }
        }
        failAll(new BrokerUnavailableException("the broker connection was closed"));
    }

    @PreDestroy
    void close() {
        thread.execute(() -> disconnect(null));
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

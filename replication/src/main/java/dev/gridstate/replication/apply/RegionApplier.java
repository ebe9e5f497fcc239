package dev.gridstate.replication.apply;

import dev.gridstate.state.ChangeLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Applies one region's deliveries to central, in the order they came, on one thread.
 *
 * <p>A batch is acknowledged only after central has all of it. While central does not answer,
 * the same batch is tried again after a growing pause, never nacked or requeued, so no later
 * message can overtake it. When central refuses a batch, its messages are applied one by one:
 * the good ones in order, and the one central refuses on its own is dropped (acknowledged,
 * counted, logged) so that a bad message never blocks the queue. Applying a message twice
 * changes nothing (central keeps a version per entity), so a delivery the broker repeats after a
 * lost channel or a takeover is harmless.
 *
 * <p>{@link #stop()} lets an in-flight attempt finish but starts no retry and no new batch; an
 * interrupt abandons the attempt. Either way, what was not acknowledged stays in the queue.
 */
public final class RegionApplier implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionApplier.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int EXCERPT_CHARS = 200;

    private final String region;
    private final Inbox inbox;
    private final Central central;
    private final Acknowledger acknowledger;
    private final Progress progress;
    private final int batchMaxMessages;
    private final long batchMaxChars;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Throttle failureLog;
    private volatile boolean running = true;

    /**
     * How much one script call carries: at most {@code maxMessages}, and at most {@code maxChars} of
     * message bodies unless a single message is larger. The second bounds how long central is busy.
     */
    public record Limits(int maxMessages, long maxChars) {
    }

    private sealed interface Answer {
    }

    private record Done(ChangeLog.Applied result) implements Answer {
    }

    private record Refused(RuntimeException reason) implements Answer {
    }

    public RegionApplier(String region, Inbox inbox, Central central, Acknowledger acknowledger, Progress progress,
                         Limits limits, Backoff backoff, Sleeper sleeper, Throttle failureLog) {
        this.region = region;
        this.inbox = inbox;
        this.central = central;
        this.acknowledger = acknowledger;
        this.progress = progress;
        this.batchMaxMessages = limits.maxMessages();
        this.batchMaxChars = limits.maxChars();
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.failureLog = failureLog;
    }

    @Override
    public void run() {
        try {
            while (running) {
                List<Delivery> batch = inbox.take(batchMaxMessages, batchMaxChars, POLL);
                if (!batch.isEmpty()) {
                    settle(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("region {}: stopped applying; what was delivered and not applied ({} waiting) stays in the queue",
                region, inbox.size());
    }

    /** Finish the attempt in flight, then stop: no retry, no new batch. */
    public void stop() {
        running = false;
    }

    /** Applies a batch, whatever it takes, then acknowledges all of it. */
    void settle(List<Delivery> batch) throws InterruptedException {
        Answer answer = applyUntilAnswered(batch);
        switch (answer) {
            case Done done -> progress.applied(batch, done.result());
            case Refused refused when batch.size() == 1 -> reject(batch.getFirst(), refused.reason());
            case Refused refused -> applyOneByOne(batch);
        }
        acknowledger.ackUpTo(batch.getLast().tag());
    }

    private void applyOneByOne(List<Delivery> batch) throws InterruptedException {
        LOG.info("region {}: central refused a batch of {} message(s); applying them one by one to find the bad one",
                region, batch.size());
        for (Delivery delivery : batch) {
            switch (applyUntilAnswered(List.of(delivery))) {
                case Done done -> progress.applied(List.of(delivery), done.result());
                case Refused refused -> reject(delivery, refused.reason());
            }
        }
    }

    private void reject(Delivery delivery, RuntimeException reason) {
        LOG.warn("region {}: central refused message version={} (delivery {}): {}; dropping it. Message: {}",
                region, delivery.version(), delivery.tag(), reason.getMessage(), delivery.excerpt(EXCERPT_CHARS));
        progress.rejected(delivery, reason);
    }

    private Answer applyUntilAnswered(List<Delivery> messages) throws InterruptedException {
        List<String> bodies = messages.stream().map(Delivery::body).toList();
        int failures = 0;
        while (true) {
            try {
                ChangeLog.Applied result = central.apply(bodies);
                if (failures > 0) {
                    LOG.info("region {}: central applied the held batch after {} failed attempt(s)", region, failures);
                    failureLog.reset();
                }
                return new Done(result);
            } catch (RuntimeException e) {
                if (Refusals.isRefusal(e)) {
                    return new Refused(e);
                }
                failures++;
                progress.retrying(e);
                if (failureLog.permits()) {
                    LOG.warn("region {}: cannot apply {} message(s) on central ({}); they stay unacknowledged and are"
                            + " retried, {} failed attempt(s) so far", region, messages.size(), e.toString(), failures);
                }
                if (!running) {
                    throw new InterruptedException("region " + region + ": stopping with a batch not applied");
                }
                sleeper.sleep(backoff.delay(failures));
            }
        }
    }
}

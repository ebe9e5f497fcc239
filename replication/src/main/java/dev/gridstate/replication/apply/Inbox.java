package dev.gridstate.replication.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The deliveries of one region waiting to be applied, in the order the broker sent them. Bounded
 * in practice by the channel's prefetch: the broker sends no more until some are acknowledged.
 */
public final class Inbox {

    private final BlockingQueue<Delivery> waiting = new LinkedBlockingQueue<>();

    public void add(Delivery delivery) {
        waiting.add(delivery);
    }

    public int size() {
        return waiting.size();
    }

    /**
     * Deliveries, oldest first: waits up to {@code wait} for the first, then takes what else is
     * there, up to {@code maxMessages} and {@code maxChars} of bodies (the first is taken whatever its size).
     * Call from one thread only.
     */
    public List<Delivery> take(int maxMessages, long maxChars, Duration wait) throws InterruptedException {
        Delivery first = waiting.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Delivery> batch = new ArrayList<>(Math.min(maxMessages, waiting.size() + 1));
        batch.add(first);
        long chars = first.body().length();
        Delivery next;
        // Only this thread takes, so the head seen by peek() is the one poll() returns.
        while (batch.size() < maxMessages && (next = waiting.peek()) != null
                && chars + next.body().length() <= maxChars) {
            batch.add(waiting.poll());
            chars += next.body().length();
        }
        return batch;
    }
}

package dev.gridstate.gateway.events;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events one subscriber has not taken yet, oldest first, in bounded memory.
 *
 * <p>While fewer than {@code coalesceAfter} events wait, every event is kept: a subscriber that
 * keeps up sees each change. Past that, a new event replaces the waiting one with the same
 * {@link NodeEvent#key()} and takes its place at the end, so a slow subscriber gets the newest
 * state of each node in the order those states arose, not a backlog. Past {@code capacity}, the
 * oldest event is dropped.
 *
 * <p>Not thread-safe: its owner holds a lock around each call.
 */
final class CoalescingBuffer {

    /** What {@link #offer} did to make room, if anything. */
    enum Offer {
        /** Added; nothing else changed. */
        QUEUED,
        /** Added; a waiting event with the same key was superseded and removed. */
        COALESCED,
        /** Added; the oldest waiting event was dropped to stay within capacity. */
        DROPPED_OLDEST
    }

    private final int capacity;
    private final int coalesceAfter;
    private final LinkedHashMap<Long, NodeEvent> waiting = new LinkedHashMap<>();
    private final Map<String, Long> newestByKey = new HashMap<>();

    CoalescingBuffer(int capacity, int coalesceAfter) {
        if (capacity < 1 || coalesceAfter < 0 || coalesceAfter > capacity) {
            throw new IllegalArgumentException("a coalescing buffer needs 0 <= coalesceAfter <= capacity and capacity >= 1, but had capacity "
                    + capacity + " and coalesceAfter " + coalesceAfter);
        }
        this.capacity = capacity;
        this.coalesceAfter = coalesceAfter;
    }

    Offer offer(NodeEvent event) {
        Offer result = Offer.QUEUED;
        if (waiting.size() >= coalesceAfter) {
            Long superseded = newestByKey.get(event.key());
            if (superseded != null) {
                waiting.remove(superseded);
                result = Offer.COALESCED;
            }
        }
        waiting.put(event.seq(), event);
        newestByKey.put(event.key(), event.seq());
        if (waiting.size() > capacity) {
            Iterator<NodeEvent> oldest = waiting.values().iterator();
            forget(oldest.next());
            oldest.remove();
            result = Offer.DROPPED_OLDEST;
        }
        return result;
    }

    /** The oldest waiting event, removed; null when none waits. */
    NodeEvent poll() {
        Iterator<NodeEvent> oldest = waiting.values().iterator();
        if (!oldest.hasNext()) {
            return null;
        }
        NodeEvent event = oldest.next();
        oldest.remove();
        forget(event);
        return event;
    }

    int size() {
        return waiting.size();
    }

    void clear() {
        waiting.clear();
        newestByKey.clear();
    }

    private void forget(NodeEvent event) {
        newestByKey.remove(event.key(), event.seq());
    }
}

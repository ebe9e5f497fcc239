package dev.gridstate.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway URLs of one region. Calls stick to the current URL while it works; a failure moves
 * every later call on to the next URL, round-robin.
 */
final class GatewayEndpoints {

    private static final Logger log = LoggerFactory.getLogger(GatewayEndpoints.class);

    private final List<URI> uris;
    private final AtomicInteger current = new AtomicInteger();
    private final Counters counters;

    GatewayEndpoints(List<URI> uris, Counters counters) {
        this.uris = List.copyOf(uris);
        this.counters = counters;
    }

    int currentIndex() {
        return current.get();
    }

    URI uri(int index) {
        return uris.get(index);
    }

    URI resolve(int index, String path) {
        String base = uris.get(index).toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }

    /** Moves past the URL at {@code failedIndex}, unless a concurrent call already did. */
    void failed(int failedIndex, String reason) {
        if (uris.size() < 2) {
            return;
        }
        int next = (failedIndex + 1) % uris.size();
        if (current.compareAndSet(failedIndex, next)) {
            counters.failover();
            log.warn("gateway {} failed ({}); failing over to {}", uris.get(failedIndex), reason, uris.get(next));
        }
    }
}

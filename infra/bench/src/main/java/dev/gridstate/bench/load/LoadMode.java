package dev.gridstate.bench.load;

/** How a run paces its requests. */
public enum LoadMode {
    /**
     * A constant rate over all connections (the wrk2 model): each request has an intended send
     * time and its latency counts from then, so a stalled server is not hidden by a stalled client.
     */
    OPEN,
    /** Each connection sends its next request as soon as the previous answer arrives. */
    CLOSED
}

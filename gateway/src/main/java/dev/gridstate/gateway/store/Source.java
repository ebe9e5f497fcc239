package dev.gridstate.gateway.store;

/** Where a state call was answered; the {@code X-State-Source} header of the answer names it. */
public enum Source {
    REGIONAL("regional"),
    CENTRAL("central");

    /** The response header that names where an answer's state came from. */
    public static final String HEADER = "X-State-Source";

    private final String wire;

    Source(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}

package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** One served node: its spec, the state it reports, and where its registration stands. */
final class NodeSlot {

    enum Registration { PENDING, REGISTERING, REGISTERED, REJECTED }

    private final NodeSpec spec;
    private final AtomicReference<Registration> registration = new AtomicReference<>(Registration.PENDING);
    private volatile NodeState state = NodeState.IDLE;
    private volatile long freeMemoryMb;
    private volatile List<JsonNode> lastDirectives = List.of();

    NodeSlot(NodeSpec spec) {
        this.spec = spec;
        this.freeMemoryMb = spec.gpu().freeMemoryMb();
    }

    String id() {
        return spec.nodeId();
    }

    NodeSpec spec() {
        return spec;
    }

    NodeState state() {
        return state;
    }

    void state(NodeState state) {
        this.state = state;
    }

    long freeMemoryMb() {
        return freeMemoryMb;
    }

    void freeMemoryMb(long freeMemoryMb) {
        if (freeMemoryMb < 0 || freeMemoryMb > spec.gpu().memoryMb()) {
            throw new IllegalArgumentException("freeMemoryMb of node '" + id() + "' must be between 0 and "
                    + spec.gpu().memoryMb() + ", but was " + freeMemoryMb);
        }
        this.freeMemoryMb = freeMemoryMb;
    }

    Registration registration() {
        return registration.get();
    }

    boolean isRegistered() {
        return registration.get() == Registration.REGISTERED;
    }

    /** Claims the right to send the registration; false if one is already under way or not due. */
    boolean beginRegistration(Registration expected) {
        return registration.compareAndSet(expected, Registration.REGISTERING);
    }

    void registered() {
        registration.set(Registration.REGISTERED);
    }

    void rejected() {
        registration.set(Registration.REJECTED);
    }

    /** Back to PENDING when the agent closed before an answer came. */
    void abandoned() {
        registration.compareAndSet(Registration.REGISTERING, Registration.PENDING);
    }

    List<JsonNode> lastDirectives() {
        return lastDirectives;
    }

    void lastDirectives(List<JsonNode> directives) {
        this.lastDirectives = directives;
    }
}

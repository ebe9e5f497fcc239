package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One served node: its spec, the state it reports, where its registration stands, the token the
 * gateway issued for it, and what holds it back from routing.
 */
final class NodeSlot {

    enum Registration { PENDING, REGISTERING, REGISTERED, REJECTED }

    private static final Logger log = LoggerFactory.getLogger(NodeSlot.class);

    private final NodeSpec spec;
    private final AtomicReference<Registration> registration = new AtomicReference<>(Registration.PENDING);
    private volatile NodeState state = NodeState.IDLE;
    private volatile long freeMemoryMb;
    private volatile List<JsonNode> lastDirectives = List.of();
    private volatile String token;
    /** False from a registration until a heartbeat with its token is accepted. */
    private volatile boolean tokenProven;
    private volatile List<JsonNode> holds = List.of();
    /** {@link System#nanoTime()} of the last {@code disconnect}, until a heartbeat sent after it is accepted. */
    private final AtomicReference<Long> disconnectedAt = new AtomicReference<>();
    /** Actions waiting for the next accepted registration; the lock also orders them with {@link #registered}. */
    private final List<Runnable> registrationWaiters = new ArrayList<>();

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
        List<Runnable> due;
        synchronized (registrationWaiters) {
            registration.set(Registration.REGISTERED);
            due = List.copyOf(registrationWaiters);
            registrationWaiters.clear();
        }
        due.forEach(this::runGuarded);
    }

    /**
     * Runs the action at once if the node is registered, else right after its next accepted registration
     * (on the thread that handles it, so the action must not block). Never, if no registration is accepted.
     */
    void whenRegistered(Runnable action) {
        synchronized (registrationWaiters) {
            if (!isRegistered()) {
                registrationWaiters.add(action);
                return;
            }
        }
        runGuarded(action);
    }

    private void runGuarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.error("an action waiting for the registration of node '{}' failed", id(), e);
        }
    }

    void rejected() {
        registration.set(Registration.REJECTED);
    }

    /** Back to PENDING when the agent closed before an answer came. */
    void abandoned() {
        registration.compareAndSet(Registration.REGISTERING, Registration.PENDING);
    }

    /** The node token of the last registration; null before one, or when the gateway issues none. */
    String token() {
        return token;
    }

    void token(String token) {
        this.token = token;
        this.tokenProven = false;
    }

    boolean isTokenProven() {
        return tokenProven;
    }

    List<JsonNode> holds() {
        return holds;
    }

    /** Sets the routing holds of the latest heartbeat answer; true if they differ from the previous ones. */
    boolean holds(List<JsonNode> current) {
        List<JsonNode> previous = holds;
        holds = current;
        // the same holds in another order are no change
        return previous.size() != current.size() || !Set.copyOf(previous).equals(Set.copyOf(current));
    }

    void disconnected(long nanoTime) {
        disconnectedAt.set(nanoTime);
    }

    boolean isDisconnected() {
        return disconnectedAt.get() != null;
    }

    /** A heartbeat that went out at {@code sentAt} was accepted: it ends a disconnection announced before it. */
    void beatAccepted(long sentAt) {
        tokenProven = true;
        Long at = disconnectedAt.get();
        if (at != null && sentAt - at >= 0) {
            disconnectedAt.compareAndSet(at, null);
        }
    }

    /** Registered, not held by any directive, and not announced as disconnected. */
    boolean isOffering() {
        return isRegistered() && holds.isEmpty() && !isDisconnected();
    }

    List<JsonNode> lastDirectives() {
        return lastDirectives;
    }

    void lastDirectives(List<JsonNode> directives) {
        this.lastDirectives = directives;
    }
}

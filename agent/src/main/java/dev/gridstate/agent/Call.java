package dev.gridstate.agent;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One logical request to the gateway. The body and the bearer token are read again for every
 * attempt, so a retried heartbeat carries the node's latest state and token.
 *
 * @param body               the JSON body, or null for none
 * @param onTransientFailure run once per failed attempt (for counting)
 * @param bearer             the token for {@code Authorization: Bearer}; null, or supplying null, sends none
 * @param timeout            the timeout of each attempt; null for the agent's request timeout
 */
record Call(String method, String path, Supplier<byte[]> body, String description, Runnable onTransientFailure,
            Supplier<String> bearer, Duration timeout) {

    static Call of(String method, String path, Supplier<byte[]> body, String description) {
        return new Call(method, path, body, description, () -> { }, null, null);
    }

    Call onTransientFailure(Runnable action) {
        return new Call(method, path, body, description, action, bearer, timeout);
    }

    Call withBearer(Supplier<String> token) {
        return new Call(method, path, body, description, onTransientFailure, token, timeout);
    }

    /** For a request the gateway may hold open, such as a long poll. */
    Call withTimeout(Duration perAttempt) {
        return new Call(method, path, body, description, onTransientFailure, bearer, perAttempt);
    }

    /** The token to send now, or null. */
    String bearerToken() {
        return bearer == null ? null : bearer.get();
    }
}

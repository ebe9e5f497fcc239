package dev.gridstate.agent;

import java.util.function.Supplier;

/**
 * One logical request to the gateway. The body and the bearer token are read again for every
 * attempt, so a retried heartbeat carries the node's latest state and token.
 *
 * @param body               the JSON body, or null for none
 * @param onTransientFailure run once per failed attempt (for counting)
 * @param bearer             the token for {@code Authorization: Bearer}; null, or supplying null, sends none
 */
record Call(String method, String path, Supplier<byte[]> body, String description, Runnable onTransientFailure,
            Supplier<String> bearer) {

    static Call of(String method, String path, Supplier<byte[]> body, String description) {
        return new Call(method, path, body, description, () -> { }, null);
    }

    Call onTransientFailure(Runnable action) {
        return new Call(method, path, body, description, action, bearer);
    }

    Call withBearer(Supplier<String> token) {
        return new Call(method, path, body, description, onTransientFailure, token);
    }

    /** The token to send now, or null. */
    String bearerToken() {
        return bearer == null ? null : bearer.get();
    }
}

package dev.gridstate.agent;

import java.util.function.Supplier;

/**
 * One logical request to the gateway. The body is built again for every attempt, so a retried
 * heartbeat carries the node's latest state.
 *
 * @param body               the JSON body, or null for none
 * @param onTransientFailure run once per failed attempt (for counting)
 */
record Call(String method, String path, Supplier<byte[]> body, String description, Runnable onTransientFailure) {

    static Call of(String method, String path, Supplier<byte[]> body, String description) {
        return new Call(method, path, body, description, () -> { });
    }
}

package dev.gridstate.gateway.store;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON that our own scripts wrote (flags, notices): not valid JSON means a bug, not bad input. */
public final class StoredJson {

    private StoredJson() {
    }

    public static JsonNode parse(JsonMapper json, String stored) {
        try {
            return json.readValue(stored, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a value the gateway stored in Redis is not JSON: " + stored, e);
        }
    }
}

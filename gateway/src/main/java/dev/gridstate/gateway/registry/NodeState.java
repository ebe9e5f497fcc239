package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.api.ApiException;

import java.util.Locale;

/** What a node reports it is doing. Only idle and busy nodes are matched unless asked otherwise. */
public enum NodeState {
    IDLE, BUSY, DRAINING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static NodeState parse(String field, String value) {
        for (NodeState s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw ApiException.invalid(field, field + " must be one of idle, busy, draining, but was \"" + value + "\"");
    }
}

package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

/** A final (non-transient) answer of a gateway: a 2xx or a 4xx other than 429. */
record GatewayResponse(int status, JsonNode body, URI gateway) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}

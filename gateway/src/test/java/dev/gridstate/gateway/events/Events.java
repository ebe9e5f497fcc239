package dev.gridstate.gateway.events;

import io.micronaut.json.JsonMapper;

import java.util.concurrent.atomic.AtomicLong;

/** Node events for unit tests, parsed the way the hub parses them. */
final class Events {

    static final JsonMapper JSON = JsonMapper.createDefault();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Events() {
    }

    static NodeEvent parse(String json) {
        return NodeEvent.parse(JSON, json, SEQUENCE::incrementAndGet)
                .orElseThrow(() -> new AssertionError("not a node event: " + json));
    }

    static NodeEvent state(String nodeId, String state) {
        return parse("{\"nodeId\":\"" + nodeId + "\",\"type\":\"state\",\"at\":1,\"state\":\"" + state + "\"}");
    }

    static NodeEvent presence(String nodeId, String type) {
        return parse("{\"nodeId\":\"" + nodeId + "\",\"type\":\"" + type + "\",\"at\":1}");
    }

    static NodeEvent flag(String nodeId, String flag, boolean set) {
        return parse("{\"nodeId\":\"" + nodeId + "\",\"type\":\"flags\",\"at\":1,\"flag\":\"" + flag + "\",\"set\":" + set + "}");
    }
}

package dev.gridstate.testkit.toxiproxy;

import java.time.Duration;
import java.util.Map;

/**
 * One toxic as the API shows it. Immutable: an update replaces the instance, so a connection
 * decides its toxicity afresh for the new one.
 */
record Toxic(String name, ToxicType type, Stream stream, double toxicity, Map<String, Long> attributes) {

    /** Downstream is server to client, upstream client to server, as in Toxiproxy. */
    enum Stream {
        UPSTREAM, DOWNSTREAM;

        static Stream fromWire(String name) {
            return switch (name) {
                case "upstream" -> UPSTREAM;
                case "downstream" -> DOWNSTREAM;
                default -> throw ToxiproxyApiException.badRequest(
                        "stream must be 'upstream' or 'downstream', but was '" + name + "'");
            };
        }

        String wireName() {
            return this == UPSTREAM ? "upstream" : "downstream";
        }
    }

    Toxic {
        if (toxicity < 0 || toxicity > 1) {
            throw ToxiproxyApiException.badRequest(
                    "toxicity of toxic '" + name + "' must be between 0 and 1, but was " + toxicity);
        }
        attributes = Map.copyOf(attributes);
    }

    long attribute(String key) {
        return attributes.getOrDefault(key, 0L);
    }

    Duration millis(String key) {
        return Duration.ofMillis(attribute(key));
    }
}

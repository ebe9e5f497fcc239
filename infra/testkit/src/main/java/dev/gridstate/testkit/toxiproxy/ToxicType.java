package dev.gridstate.testkit.toxiproxy;

import java.util.Arrays;
import java.util.Locale;

/** The toxic types this server knows, by their Toxiproxy names. */
enum ToxicType {
    LATENCY,
    TIMEOUT,
    RESET_PEER,
    LIMIT_DATA,
    BANDWIDTH,
    SLOW_CLOSE,
    SLICER;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ToxicType fromWire(String name) {
        return Arrays.stream(values())
                .filter(type -> type.wireName().equals(name))
                .findFirst()
                .orElseThrow(() -> ToxiproxyApiException.badRequest(
                        "toxic type '" + name + "' is not supported, expected one of "
                                + Arrays.stream(values()).map(ToxicType::wireName).toList()));
    }
}

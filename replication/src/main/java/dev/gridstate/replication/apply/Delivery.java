package dev.gridstate.replication.apply;

import java.util.OptionalLong;

/**
 * One change-log message as the broker delivered it.
 *
 * @param tag     its delivery tag on the region's channel
 * @param body    the message (ChangeMessage JSON)
 * @param version the version the publisher stamped on it (header), for logs; may be null
 * @param since   when its oldest change was made (epoch ms, header), if the publisher said
 */
public record Delivery(long tag, String body, String version, OptionalLong since) {

    /** The start of the body, for a log line about a message that may be large or not text at all. */
    public String excerpt(int maxChars) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= maxChars ? oneLine : oneLine.substring(0, maxChars) + "…";
    }
}

package dev.gridstate.replication.broker;

import dev.gridstate.state.ChangeTopology;

/** The AMQP headers a gateway puts on every change-log message. */
public final class Headers {

    /** The region (String). */
    public static final String REGION = ChangeTopology.HEADER_REGION;
    /** The message's version, a decimal long (String). */
    public static final String VERSION = ChangeTopology.HEADER_VERSION;
    /** When the oldest change the message carries was made, epoch ms (Long). */
    public static final String SINCE = ChangeTopology.HEADER_SINCE;

    private Headers() {
    }
}

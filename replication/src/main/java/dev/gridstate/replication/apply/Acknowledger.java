package dev.gridstate.replication.apply;

/** Tells the broker that every delivery of a region up to a tag is done with. */
@FunctionalInterface
public interface Acknowledger {

    /**
     * Acknowledges {@code tag} and every earlier delivery of the channel. Never throws: if the
     * channel is gone, the broker delivers those messages again, and applying them twice changes nothing.
     */
    void ackUpTo(long tag);
}

package dev.gridstate.gateway.events;

/** Ends the stream of a subscriber that stopped reading: its connection is closed, its slot freed. */
final class SubscriberStalledException extends RuntimeException {

    SubscriberStalledException(String message) {
        super(message, null, false, false);
    }
}

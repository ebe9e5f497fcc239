package dev.gridstate.gateway.store;

/** A state call's reply and where it was answered. */
public record Sourced<T>(T value, Source source) {
}

package dev.gridstate.replication;

import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/** Start-up checks of settings: each failure names the key and the bad value. */
final class Checks {

    private Checks() {
    }

    static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigurationException(key + " must be a positive duration (e.g. 500ms, 2s), but was " + value);
        }
        return value;
    }

    static int between(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigurationException(key + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }

    static String notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(key + " must not be blank, but was '" + value + "'");
        }
        return value;
    }
}

package dev.gridstate.gateway.store;

import io.lettuce.core.RedisException;

/**
 * Neither the regional Redis nor central could take a state call: both breakers open, or both
 * failed it. The answer is a 503 with Retry-After; the call ran on neither (or, timed out, as
 * one atomic script that a retry repeats safely).
 */
public class StoreUnavailableException extends RedisException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

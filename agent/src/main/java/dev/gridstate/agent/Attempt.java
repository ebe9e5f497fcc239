package dev.gridstate.agent;

import java.net.URI;
import java.time.Duration;

/** What one request to a gateway came to; see {@link GatewayClient#tryOnce}. */
sealed interface Attempt {

    Abandoned ABANDONED = new Abandoned();

    /** A final answer: a 2xx, or a 4xx other than 429. */
    record Answered(GatewayResponse response) implements Attempt {
    }

    /**
     * A connect error, timeout, 5xx or 429, already counted and failed over from.
     *
     * @param retryAfter what the gateway's {@code Retry-After} asked for; zero without one
     */
    record Failed(String reason, Duration retryAfter, URI gateway) implements Attempt {
    }

    /** Not sent or not answered, because the agent closed (or the request could not even be built). */
    record Abandoned() implements Attempt {
    }
}

package dev.gridstate.bench.load;

/**
 * Builds the requests of a run. All methods are called on an event loop: keep them cheap, and
 * thread-safe when the generator has more than one I/O thread.
 */
public interface RequestSource {

    /**
     * @param seq unique within a run: the request's index in the schedule (OPEN), or
     *     {@code k * connections + connection} for a connection's k-th request (CLOSED)
     * @param connection the connection it will go out on, from 0
     */
    Request next(long seq, int connection);

    /** Whether {@link #onResponse} needs the body; decoding it costs CPU the server also needs. */
    default boolean wantsBody() {
        return false;
    }

    /**
     * Called for every HTTP answer, warmup included; not for timeouts or transport errors.
     *
     * @param body the body as UTF-8, or null unless {@link #wantsBody()}
     */
    default void onResponse(Request request, int status, String body) {
    }

    /** Sends the same request again and again. */
    static RequestSource repeating(Request request) {
        return (seq, connection) -> request;
    }
}

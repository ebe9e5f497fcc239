package dev.gridstate.replication.apply;

import dev.gridstate.state.ChangeLog;

import java.util.List;

/** What an applier reports as it goes: metrics and status listen. */
public interface Progress {

    /** Central has {@code messages}, which it applied in one call with {@code result}. */
    void applied(List<Delivery> messages, ChangeLog.Applied result);

    /** Central refused {@code message} on its own: it is dropped. */
    void rejected(Delivery message, RuntimeException reason);

    /** An attempt failed without an answer from central; the same messages will be tried again. */
    void retrying(RuntimeException reason);
}

package dev.gridstate.replication.apply;

import dev.gridstate.state.ChangeLog;

import java.util.List;

/** Central Redis as one region's applier sees it. */
@FunctionalInterface
public interface Central {

    /**
     * Applies the messages, in order, in one call, and returns once central has them. Throws
     * Lettuce's {@code RedisException} family when central refused them or did not answer in time.
     */
    ChangeLog.Applied apply(List<String> messages) throws InterruptedException;
}

package dev.gridstate.replication.apply;

import java.time.Duration;

/** Waits between attempts; tests pass one that does not. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}

package dev.gridstate.testkit;

import java.util.OptionalLong;

/** One way of running redis-server: a local process or a Docker container. */
interface RedisProcess {

    String host();

    int port();

    /** SIGKILL; returns once the server is gone. */
    void kill();

    /** SIGSTOP: the port stays open, nothing answers. */
    void hang();

    /** SIGCONT after {@link #hang()}. */
    void resume();

    /** Starts again on the same port and data directory; kills first if still running. */
    void restart();

    boolean isRunning();

    /** The operating-system pid, when the server is a local process. */
    OptionalLong pid();

    /** Kills the server and removes everything it left on disk. Idempotent. */
    void close();
}

package dev.gridstate.replication;

import dev.gridstate.testkit.RedisServer;

import java.util.concurrent.atomic.AtomicLong;

/** Reads a node's update number ({@code seq}) on central, and remembers whether it ever went back. */
final class SeqWatch {

    private final RedisServer central;
    private final String nodeKey;
    private final AtomicLong highest = new AtomicLong();
    private volatile boolean wentBack;

    SeqWatch(RedisServer central, String nodeKey) {
        this.central = central;
        this.nodeKey = nodeKey;
    }

    long seq() {
        String value = central.commands().hget(nodeKey, "seq");
        long seq = value == null ? 0 : Long.parseLong(value);
        if (seq < highest.getAndAccumulate(seq, Math::max)) {
            wentBack = true;
        }
        return seq;
    }

    boolean wentBack() {
        return wentBack;
    }
}

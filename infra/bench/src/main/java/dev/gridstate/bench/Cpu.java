package dev.gridstate.bench;

import dev.gridstate.testkit.RedisServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time used so far, in milliseconds, of the processes a measurement runs. */
final class Cpu {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux we run on

    private Cpu() {
    }

    /** Of a running process, by pid (user + system). */
    static double processMs(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos)
                .map(nanos -> nanos / 1e6).orElse(Double.NaN);
    }

    /** Of this JVM. */
    static double selfMs() {
        return processMs(ProcessHandle.current().pid());
    }

    /**
     * Of this JVM's children that have exited and been waited for (cutime + cstime): the way to
     * read what a finished {@code redis-benchmark} used.
     */
    static double reapedChildrenMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name.
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return ticks * 1000.0 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Of a Redis server, as it reports itself (INFO cpu: used_cpu_sys + used_cpu_user). */
    static double redisMs(RedisServer redis) {
        return (Double.parseDouble(RedisInfo.field(redis.commands(), "cpu", "used_cpu_sys"))
                + Double.parseDouble(RedisInfo.field(redis.commands(), "cpu", "used_cpu_user"))) * 1000;
    }
}

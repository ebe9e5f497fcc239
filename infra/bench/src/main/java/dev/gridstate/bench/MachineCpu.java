package dev.gridstate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU from {@code /proc/stat}: what every process used, ours or not, so a
 * measurement can say when the machine, not the system under test, was the limit.
 *
 * @param busyTicks  user + nice + system + irq + softirq, all CPUs
 * @param stealTicks time the hypervisor gave this machine's CPUs to someone else
 * @param totalTicks every tick of every CPU, idle and iowait included
 */
record MachineCpu(long busyTicks, long stealTicks, long totalTicks) {

    private static final Path STAT = Path.of("/proc/stat");

    static MachineCpu read() {
        try {
            return parse(Files.readAllLines(STAT).get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STAT, e);
        }
    }

    /** The aggregate line: {@code cpu user nice system idle iowait irq softirq steal …}. */
    static MachineCpu parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: '" + cpuLine + "'");
        }
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = Long.parseLong(f[8]);
        long busy = user + nice + system + irq + softirq;
        return new MachineCpu(busy, steal, busy + idle + iowait + steal);
    }

    /** Busy CPUs on average from {@code before} to this reading (0 … the machine's CPU count). */
    double busyCpusSince(MachineCpu before, int cpus) {
        long total = totalTicks - before.totalTicks;
        return total <= 0 ? Double.NaN : (busyTicks - before.busyTicks) * (double) cpus / total;
    }

    /** Stolen CPUs on average from {@code before} to this reading. */
    double stolenCpusSince(MachineCpu before, int cpus) {
        long total = totalTicks - before.totalTicks;
        return total <= 0 ? Double.NaN : (stealTicks - before.stealTicks) * (double) cpus / total;
    }
}

package dev.gridstate.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The figures of one region count, from the readings around its window. Rates are per second of
 * the window; CPU is in CPUs (1.0 = one core busy all the window); per-event costs divide a CPU
 * time or a count by the heartbeats or changes of the same window.
 */
record RegionsStep(int regions, long nodes, long online, double registerSeconds, double seconds,
                   double heartbeatsPerSecond, long heartbeatsFailed, long reRegistrations,
                   double messagesPerSecond, double changesPerSecond,
                   double centralBytesPerNode, double regionalBytesPerNode, long centralUsedMemory,
                   double centralCommandsPerSecond, double centralEvalshaPerSecond, double centralCommandsPerChange,
                   double centralScriptUsPerChange, double regionalScriptCallsPerHeartbeat, double regionalScriptUsPerHeartbeat,
                   double centralCpus, double centralCpuUsPerChange, double centralIdleCpus, double centralChildrenCpus,
                   double replicatorCpus, double replicatorCpuUsPerChange, double replicatorIdleCpus,
                   double gatewaysCpus, double gatewayCpuUsPerHeartbeat, double gatewayIdleCpusEach, double gatewaysRssMb,
                   double centralUsPerChangeAboveIdle, double replicatorUsPerChangeAboveIdle,
                   double gatewayUsPerHeartbeatAboveIdle,
                   double regionalsCpus, double regionalCpuUsPerHeartbeat, double benchCpus, double brokerCpus,
                   double machineBusyCpus, double machineStolenCpus, double otherCpus,
                   double lagMeanMs, double lagP50Ms, double lagP99Ms, double lagMaxMs,
                   double behindP50Ms, double behindP99Ms, double behindMaxMs, int behindSamples,
                   double heartbeatRequestBytesPerNode, double heartbeatAnswerBytesPerNode, double nodesPerRequest,
                   double firstRegionBusyShare,
                   double changeBytesPerMessage, double changeBytesPerEntity, long tapMessages) {

    static RegionsStep of(int regions, int nodesPerRegion, long online, long registerNanos, RegionsReading empty,
                          RegionsReading idleFrom, RegionsReading from, RegionsReading to, List<Long> behind,
                          List<JsonNode> lag, ChangeLogTap tap, int cpus) {
        double s = to.seconds(from);
        long nodes = (long) regions * nodesPerRegion;
        double idleSeconds = empty.seconds(idleFrom);
        long heartbeats = to.fleet().heartbeatsOk() - from.fleet().heartbeatsOk();
        long changes = to.entities() - from.entities();
        long firstBeats = to.firstRegion().heartbeatsOk() - from.firstRegion().heartbeatsOk();
        double centralMs = to.centralMs() - from.centralMs();
        double replicatorMs = to.replicatorMs() - from.replicatorMs();
        double gatewaysMs = to.gatewaysMs() - from.gatewaysMs();
        double regionalsMs = to.regionalsMs() - from.regionalsMs();
        double benchMs = to.benchMs() - from.benchMs();
        double brokerMs = to.brokerMs() - from.brokerMs();
        double busy = to.machine().busyCpusSince(from.machine(), cpus);
        double ours = (centralMs + replicatorMs + gatewaysMs + regionalsMs + benchMs + (Double.isNaN(brokerMs) ? 0 : brokerMs))
                / 1000 / s;
        double lagCount = to.lagCount() - from.lagCount();
        double centralIdle = (empty.centralMs() - idleFrom.centralMs()) / 1000 / idleSeconds;
        double replicatorIdle = (empty.replicatorMs() - idleFrom.replicatorMs()) / 1000 / idleSeconds;
        double gatewaysIdle = (empty.gatewaysMs() - idleFrom.gatewaysMs()) / 1000 / idleSeconds;
        List<Long> sorted = new ArrayList<>(behind);
        Collections.sort(sorted);
        return new RegionsStep(regions, nodes, online, registerNanos / 1e9, s,
                heartbeats / s, to.fleet().heartbeatsFailed() - from.fleet().heartbeatsFailed(),
                to.fleet().reRegistrations() - from.fleet().reRegistrations(),
                (to.messages() - from.messages()) / s, changes / s,
                (to.centralUsedMemory() - empty.centralUsedMemory()) / (double) nodes,
                (to.regionalUsedMemory() - empty.regionalUsedMemory()) / (double) nodes, to.centralUsedMemory(),
                (to.centralCommands() - from.centralCommands()) / s,
                (to.centralScripts().calls() - from.centralScripts().calls()) / s,
                per(to.centralCommands() - from.centralCommands(), changes),
                per(to.centralScripts().usec() - from.centralScripts().usec(), changes),
                per(to.regionalScripts().calls() - from.regionalScripts().calls(), heartbeats),
                per(to.regionalScripts().usec() - from.regionalScripts().usec(), heartbeats),
                centralMs / 1000 / s, per(centralMs * 1000, changes), centralIdle,
                (to.centralChildrenMs() - from.centralChildrenMs()) / 1000 / s,
                replicatorMs / 1000 / s, per(replicatorMs * 1000, changes), replicatorIdle,
                gatewaysMs / 1000 / s, per(gatewaysMs * 1000, heartbeats), gatewaysIdle / regions, to.gatewaysRssKb() / 1024.0,
                per((centralMs / 1000 - centralIdle * s) * 1e6, changes),
                per((replicatorMs / 1000 - replicatorIdle * s) * 1e6, changes),
                per((gatewaysMs / 1000 - gatewaysIdle * s) * 1e6, heartbeats),
                regionalsMs / 1000 / s, per(regionalsMs * 1000, heartbeats), benchMs / 1000 / s, brokerMs / 1000 / s,
                busy, to.machine().stolenCpusSince(from.machine(), cpus), busy - ours,
                lagCount <= 0 ? Double.NaN : (to.lagSumSeconds() - from.lagSumSeconds()) * 1000 / lagCount,
                worst(lag, "lagP50Ms"), worst(lag, "lagP99Ms"), worst(lag, "lagMaxMs"),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.isEmpty() ? Double.NaN : sorted.getLast(),
                sorted.size(),
                per(to.firstRegionBytes().requests() - from.firstRegionBytes().requests(), firstBeats),
                per(to.firstRegionBytes().answers() - from.firstRegionBytes().answers(), firstBeats),
                per(firstBeats, to.firstRegionRequests() - from.firstRegionRequests()),
                per(to.firstRegionBusy() - from.firstRegionBusy(), to.firstRegionRequests() - from.firstRegionRequests()),
                tap.bodyBytesPerMessage(), tap.bodyBytesPerEntity(), tap.messages());
    }

    String summary() {
        return String.format("%,.0f heartbeats/s, %,.0f changes/s in %,.1f messages/s; central %.0f bytes/node, "
                        + "%,.0f commands/s (%.1f per change), %.3f CPUs; replicator %.3f CPUs (%.0f µs per change); "
                        + "lag mean %.0f, p50 %.0f, p99 %.0f, max %.0f ms; gateways %.3f CPUs; machine %.2f CPUs busy (%.2f not ours)",
                heartbeatsPerSecond, changesPerSecond, messagesPerSecond, centralBytesPerNode, centralCommandsPerSecond,
                centralCommandsPerChange, centralCpus, replicatorCpus, replicatorCpuUsPerChange, lagMeanMs, lagP50Ms,
                lagP99Ms, lagMaxMs, gatewaysCpus, machineBusyCpus, otherCpus);
    }

    private static double per(double amount, double events) {
        return events <= 0 ? Double.NaN : amount / events;
    }

    /** The highest value of {@code field} among the regions (the worst region's). */
    private static double worst(List<JsonNode> regions, String field) {
        return regions.stream().filter(r -> r.path(field).isNumber()).mapToDouble(r -> r.path(field).asDouble())
                .max().orElse(Double.NaN);
    }

    /** Nearest rank: the smallest sample at or above {@code q} of them. */
    static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}

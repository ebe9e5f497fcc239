package dev.gridstate.gateway.jobs;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Long polls for a node's assignments. A poll takes what waits in the node's inbox; an empty one
 * waits for the node's {@code work} signal, and looks again at least every second in case a
 * signal was missed (a pub/sub gap, a failover), until its wait is over. Nothing blocks a thread.
 */
@Singleton
@Requires(property = "gateway.jobs.enabled", notEquals = "false")
class Assignments {

    private static final long RECHECK_MS = 1_000;
    private static final int MAX_PER_POLL = 16;

    private final JobStore store;
    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("assignment-polls").daemon().factory());

    Assignments(JobStore store, JobSignals signals) {
        this.store = store;
        signals.onWork(this::wake);
        signals.onMissed(() -> waiting.keySet().forEach(this::wake));
    }

    /** The node's assignments (JSON each), waiting up to {@code waitMs} for one; empty when none came. */
    CompletionStage<List<String>> await(String nodeId, long waitMs) {
        return poll(nodeId, System.currentTimeMillis() + waitMs);
    }

    private CompletionStage<List<String>> poll(String nodeId, long deadline) {
        // registered before the poll, so a signal between the poll and the wait is not lost
        CompletableFuture<Void> signal = new CompletableFuture<>();
        waiting.computeIfAbsent(nodeId, k -> ConcurrentHashMap.newKeySet()).add(signal);
        return store.poll(nodeId, MAX_PER_POLL).thenCompose(found -> {
            long left = deadline - System.currentTimeMillis();
            if (!found.isEmpty() || left <= 0) {
                forget(nodeId, signal);
                return CompletableFuture.completedFuture(found);
            }
            try {
                timer.schedule(() -> signal.complete(null), Math.min(left, RECHECK_MS), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                forget(nodeId, signal);
                return CompletableFuture.completedFuture(List.<String>of());
            }
            return signal.thenCompose(woken -> {
                forget(nodeId, signal);
                return poll(nodeId, deadline);
            });
        }).whenComplete((found, error) -> forget(nodeId, signal));
    }

    private void wake(String nodeId) {
        Set<CompletableFuture<Void>> signals = waiting.get(nodeId);
        if (signals != null) {
            signals.forEach(s -> s.complete(null));
        }
    }

    private void forget(String nodeId, CompletableFuture<Void> signal) {
        waiting.computeIfPresent(nodeId, (k, set) -> {
            set.remove(signal);
            return set.isEmpty() ? null : set;
        });
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
        waiting.values().forEach(set -> set.forEach(s -> s.complete(null)));
    }
}

package dev.gridstate.testkit;

import io.lettuce.core.RedisException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a cluster has settled, as the running nodes tell it. Settled means: every running node
 * reports cluster_state:ok with all 16384 slots ok and knows every node; all agree on who serves
 * which slots and who replicates whom; every slot's master runs; no running node is suspected by
 * another; every running replica's link to its master is up. Stopped nodes are not asked.
 */
final class ClusterHealth {

    private static final Duration POLL = Duration.ofMillis(50);

    private ClusterHealth() {
    }

    /** What keeps the cluster from being settled, or empty when it is. */
    static Optional<String> problem(List<RedisServer> nodes) {
        List<RedisServer> running = nodes.stream().filter(RedisServer::isRunning).toList();
        if (running.isEmpty()) {
            return Optional.of("no node is running");
        }
        Map<RedisServer, ClusterTopology> views = new LinkedHashMap<>();
        for (RedisServer node : running) {
            try {
                Optional<String> problem = infoProblem(node, nodes.size());
                if (problem.isPresent()) {
                    return problem;
                }
                views.put(node, ClusterTopology.parse(node.commands().clusterNodes()));
            } catch (RedisException e) {
                return Optional.of(node.port() + " does not answer: " + e.getMessage());
            }
        }
        return agreementProblem(views)
                .or(() -> layoutProblem(nodes, views.values().iterator().next()))
                .or(() -> suspicionProblem(views))
                .or(() -> replicationProblem(views));
    }

    /**
     * Polls {@code problem} every 50 ms until it is empty; returns how long that took, or throws
     * naming {@code what} it waited for, the last problem and {@code context} once {@code timeout}
     * has passed.
     */
    static Duration await(String what, Duration timeout, Supplier<Optional<String>> problem, Supplier<String> context) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Optional<String> last = problem.get();
        while (last.isPresent()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("waited " + timeout + " for " + what + "; last problem: "
                        + last.get() + context.get());
            }
            sleep(POLL);
            last = problem.get();
        }
        return Duration.between(start, Instant.now());
    }

    private static Optional<String> infoProblem(RedisServer node, int expectedNodes) {
        String info = node.commands().clusterInfo();
        String state = field(info, "cluster_state");
        if (!"ok".equals(state)) {
            return Optional.of(node.port() + " reports cluster_state:" + state);
        }
        String slotsOk = field(info, "cluster_slots_ok");
        if (!Integer.toString(ClusterTopology.SLOTS).equals(slotsOk)) {
            return Optional.of(node.port() + " reports cluster_slots_ok:" + slotsOk);
        }
        String known = field(info, "cluster_known_nodes");
        if (!Integer.toString(expectedNodes).equals(known)) {
            return Optional.of(node.port() + " knows " + known + " nodes, not " + expectedNodes);
        }
        return Optional.empty();
    }

    private static Optional<String> agreementProblem(Map<RedisServer, ClusterTopology> views) {
        String first = null;
        for (Map.Entry<RedisServer, ClusterTopology> view : views.entrySet()) {
            String layout = view.getValue().layout();
            if (first == null) {
                first = layout;
            } else if (!first.equals(layout)) {
                return Optional.of("nodes disagree: " + views.keySet().iterator().next().port() + " sees [" + first
                        + "], " + view.getKey().port() + " sees [" + layout + "]");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> layoutProblem(List<RedisServer> nodes, ClusterTopology view) {
        if (view.slotsCovered() != ClusterTopology.SLOTS) {
            return Optional.of("masters serve " + view.slotsCovered() + " slots, not " + ClusterTopology.SLOTS);
        }
        for (ClusterTopology.Node master : view.masters()) {
            boolean running = nodes.stream().anyMatch(node -> node.port() == master.port() && node.isRunning());
            if (!running) {
                return Optional.of("slots " + master.slots() + " are served by " + master.port()
                        + ", which is stopped");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> suspicionProblem(Map<RedisServer, ClusterTopology> views) {
        for (Map.Entry<RedisServer, ClusterTopology> view : views.entrySet()) {
            for (RedisServer node : views.keySet()) {
                Optional<ClusterTopology.Node> seen = view.getValue().byPort(node.port());
                if (seen.isPresent() && seen.get().isFailing()) {
                    return Optional.of(view.getKey().port() + " flags running node " + node.port() + " "
                            + seen.get().flags());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> replicationProblem(Map<RedisServer, ClusterTopology> views) {
        for (Map.Entry<RedisServer, ClusterTopology> view : views.entrySet()) {
            RedisServer node = view.getKey();
            ClusterTopology.Node self = view.getValue().byPort(node.port()).orElseThrow();
            if (self.isMaster()) {
                continue;
            }
            String master = view.getValue().byId(self.masterId()).map(m -> Integer.toString(m.port())).orElse("?");
            String replication;
            try {
                replication = node.commands().info("replication");
            } catch (RedisException e) {
                return Optional.of(node.port() + " does not answer: " + e.getMessage());
            }
            String link = field(replication, "master_link_status");
            if (!"up".equals(link) || !master.equals(field(replication, "master_port"))) {
                return Optional.of("replica " + node.port() + " of " + master + " reports master_port:"
                        + field(replication, "master_port") + ", master_link_status:" + link);
            }
        }
        return Optional.empty();
    }

    private static String field(String info, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + ":(\\S*)").matcher(info);
        return matcher.find() ? matcher.group(1) : "(missing)";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }
}

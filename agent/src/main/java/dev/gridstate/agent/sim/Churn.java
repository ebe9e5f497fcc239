package dev.gridstate.agent.sim;

import dev.gridstate.agent.NodeAgent;
import dev.gridstate.agent.NodeState;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Live change for a simulated fleet: on every tick a fraction of the nodes flips between idle and
 * busy, and their free memory follows (a busy node has little left). A node the gateway holds back
 * from routing (see {@link NodeAgent#isOffering}) only ever goes idle.
 */
final class Churn {

    private record Node(NodeAgent agent, String nodeId, long memoryMb) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final double fraction;
    private final RandomGenerator random;

    Churn(double fraction, RandomGenerator random) {
        this.fraction = fraction;
        this.random = random;
    }

    void add(NodeAgent agent, String nodeId, long memoryMb) {
        nodes.add(new Node(agent, nodeId, memoryMb));
    }

    /** Returns how many nodes changed. */
    int tick() {
        int changed = 0;
        for (Node node : nodes) {
            if (random.nextDouble() >= fraction) {
                continue;
            }
            boolean busy = node.agent().state(node.nodeId()) != NodeState.BUSY;
            if (busy && !node.agent().isOffering(node.nodeId())) {
                // a paused, frozen, cooling-down or in-maintenance node finishes its work but takes no more
                continue;
            }
            node.agent().setState(node.nodeId(), busy ? NodeState.BUSY : NodeState.IDLE);
            double freeShare = busy ? 0.1 + 0.4 * random.nextDouble() : 0.85 + 0.15 * random.nextDouble();
            node.agent().setFreeMemoryMb(node.nodeId(), (long) (node.memoryMb() * freeShare));
            changed++;
        }
        return changed;
    }
}

package dev.gridstate.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One node's reading of CLUSTER NODES: who serves which slots and who replicates whom. Nodes
 * disagree while news travels (a failover, a node that comes back); {@link #layout()} is what they
 * agree on once it has.
 */
record ClusterTopology(List<Node> nodes) {

    static final int SLOTS = 16384;

    record SlotRange(int first, int last) {

        boolean contains(int slot) {
            return first <= slot && slot <= last;
        }

        int size() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    /** A line of CLUSTER NODES; {@code masterId} is {@code "-"} for a master. */
    record Node(String id, int port, Set<String> flags, String masterId, List<SlotRange> slots) {

        boolean isMaster() {
            return flags.contains("master");
        }

        /** Flagged as failing (fail) or suspected (fail?) by the node that was asked. */
        boolean isFailing() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        boolean serves(int slot) {
            return slots.stream().anyMatch(range -> range.contains(slot));
        }
    }

    static ClusterTopology parse(String clusterNodes) {
        List<Node> nodes = new ArrayList<>();
        for (String line : clusterNodes.strip().split("\n")) {
            if (!line.isBlank()) {
                nodes.add(parseLine(line.strip()));
            }
        }
        return new ClusterTopology(List.copyOf(nodes));
    }

    Optional<Node> ownerOf(int slot) {
        return nodes.stream().filter(node -> node.isMaster() && node.serves(slot)).findFirst();
    }

    Optional<Node> byPort(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst();
    }

    Optional<Node> byId(String id) {
        return nodes.stream().filter(node -> node.id().equals(id)).findFirst();
    }

    List<Node> replicasOf(Node master) {
        return nodes.stream()
                .filter(node -> !node.isMaster() && node.masterId().equals(master.id()))
                .sorted(Comparator.comparingInt(Node::port))
                .toList();
    }

    List<Node> masters() {
        return nodes.stream().filter(node -> node.isMaster() && !node.slots().isEmpty()).toList();
    }

    int slotsCovered() {
        return masters().stream().flatMap(node -> node.slots().stream()).mapToInt(SlotRange::size).sum();
    }

    /**
     * Ports, roles and slots, without the flags (a suspicion is one node's own): {@code "7001
     * master 0-5460; 7004 replica of 7001; …"}.
     */
    String layout() {
        return nodes.stream()
                .sorted(Comparator.comparingInt(Node::port))
                .map(node -> node.port() + (node.isMaster() ? " master " + slotsOf(node)
                        : " replica of " + byId(node.masterId()).map(master -> Integer.toString(master.port()))
                                .orElse(node.masterId())))
                .collect(Collectors.joining("; "));
    }

    private static String slotsOf(Node master) {
        return master.slots().isEmpty() ? "(no slots)"
                : master.slots().stream().map(SlotRange::toString).collect(Collectors.joining(","));
    }

    // <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...
    private static Node parseLine(String line) {
        String[] fields = line.split(" ");
        if (fields.length < 8) {
            throw new IllegalStateException(
                    "CLUSTER NODES line has " + fields.length + " fields, expected 8 or more: " + line);
        }
        String address = fields[1];
        int end = address.indexOf('@') < 0 ? address.length() : address.indexOf('@');
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':', end) + 1, end));
        List<SlotRange> slots = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            // [slot->-id] and [slot-<-id] are migrations under way; the owner lists the slot plainly too.
            if (!fields[i].startsWith("[")) {
                slots.add(parseRange(fields[i]));
            }
        }
        return new Node(fields[0], port, Set.of(fields[2].split(",")), fields[3], List.copyOf(slots));
    }

    private static SlotRange parseRange(String range) {
        int dash = range.indexOf('-');
        if (dash < 0) {
            return new SlotRange(Integer.parseInt(range), Integer.parseInt(range));
        }
        return new SlotRange(Integer.parseInt(range.substring(0, dash)), Integer.parseInt(range.substring(dash + 1)));
    }
}

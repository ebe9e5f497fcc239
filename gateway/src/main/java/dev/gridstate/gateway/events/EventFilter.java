package dev.gridstate.gateway.events;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.Names;
import io.micronaut.core.convert.value.ConvertibleMultiValues;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events one subscriber wants: {@code ?nodeId=} and {@code ?type=}, each repeatable; an
 * empty set does not filter. A {@code resync} always passes: it concerns every node.
 */
record EventFilter(Set<String> nodeIds, Set<String> types) {

    static final EventFilter ALL = new EventFilter(Set.of(), Set.of());
    private static final Set<String> KNOWN = Set.of("nodeId", "type");

    EventFilter {
        nodeIds = Set.copyOf(nodeIds);
        types = Set.copyOf(types);
    }

    static EventFilter parse(ConvertibleMultiValues<String> params) {
        for (String name : params.names()) {
            if (!KNOWN.contains(name)) {
                throw ApiException.invalid(name, "unknown query parameter " + name + "; known: nodeId, type");
            }
        }
        Set<String> nodeIds = new LinkedHashSet<>();
        for (String id : params.getAll("nodeId")) {
            nodeIds.add(Names.nodeId(id));
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : params.getAll("type")) {
            if (!NodeEvent.TYPES.contains(type)) {
                throw ApiException.invalid("type", "type must be one of " + String.join(", ", NodeEvent.TYPES)
                        + ", but was \"" + Names.abbreviate(type) + "\"");
            }
            types.add(type);
        }
        return new EventFilter(nodeIds, types);
    }

    boolean accepts(NodeEvent event) {
        if (NodeEvent.RESYNC.equals(event.type())) {
            return true;
        }
        return (nodeIds.isEmpty() || nodeIds.contains(event.nodeId()))
                && (types.isEmpty() || types.contains(event.type()));
    }

    @Override
    public String toString() {
        return (nodeIds.isEmpty() ? "any node" : "nodes " + List.copyOf(nodeIds))
                + ", " + (types.isEmpty() ? "any type" : "types " + List.copyOf(types));
    }
}

package dev.gridstate.agent;

import java.util.Collection;

/** Thrown when a caller names a node that the agent does not serve: a programming error. */
public final class UnknownNodeException extends RuntimeException {

    UnknownNodeException(String nodeId, Collection<String> served) {
        super("node '" + nodeId + "' is not served by this agent (it serves " + served + ")");
    }
}

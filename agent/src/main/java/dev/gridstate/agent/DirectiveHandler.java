package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Acts on the directives of a heartbeat answer. {@code pause}, {@code cooldown}, {@code maintenance},
 * {@code freeze} and {@code quarantine} (too many failed jobs) hold the node back from routing until
 * an answer comes without them; a
 * {@code notice} is logged for the operator once per notice id; {@code assignments} says jobs are waiting
 * for the node (a nudge to its poll, should it be backing off). Every non-empty list also goes to
 * {@link AgentListener#onDirectives} as it came, unknown types included.
 */
final class DirectiveHandler {

    static final Set<String> HOLD_TYPES = Set.of("pause", "cooldown", "maintenance", "freeze", "quarantine");
    static final String ASSIGNMENTS = "assignments";

    private static final Logger log = LoggerFactory.getLogger(DirectiveHandler.class);
    /** Notice ids remembered as shown; past this many the oldest may be shown again. */
    private static final int REMEMBERED_NOTICES = 1024;
    private static final int MAX_NOTICE_CHARS = 500;

    private final Listeners listeners;
    private final Consumer<NodeSlot> assignmentsWaiting;
    private final Map<String, Boolean> shown = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_NOTICES;
        }
    };

    DirectiveHandler(Listeners listeners, Consumer<NodeSlot> assignmentsWaiting) {
        this.listeners = listeners;
        this.assignmentsWaiting = assignmentsWaiting;
    }

    void apply(NodeSlot node, List<JsonNode> directives) {
        node.lastDirectives(directives);
        if (!directives.isEmpty()) {
            listeners.directives(node.id(), directives);
        }
        List<JsonNode> holds = directives.stream().filter(d -> HOLD_TYPES.contains(type(d))).toList();
        if (node.holds(holds)) {
            if (holds.isEmpty()) {
                log.info("node '{}' is no longer held back from routing", node.id());
            } else {
                log.info("node '{}' is held back from routing by the gateway: {}", node.id(), holds);
            }
            listeners.routingHold(node.id(), holds);
        }
        directives.stream().filter(d -> "notice".equals(type(d))).forEach(this::show);
        if (directives.stream().anyMatch(d -> ASSIGNMENTS.equals(type(d)))) {
            assignmentsWaiting.accept(node);
        }
    }

    private void show(JsonNode notice) {
        String text = clean(notice.path("text").asText(""));
        String id = notice.path("id").asText("");
        String key = id.isEmpty() ? "text:" + text : id;
        synchronized (shown) {
            if (shown.put(key, Boolean.TRUE) != null) {
                return;
            }
        }
        JsonNode until = notice.path("until");
        log.warn("notice from the gateway{}: {}{}", id.isEmpty() ? "" : " (" + clean(id) + ")", text,
                until.canConvertToLong() ? " (until " + Instant.ofEpochMilli(until.asLong()) + ")" : "");
    }

    private static String type(JsonNode directive) {
        return directive.path("type").asText("");
    }

    /** One line, bounded: a notice must not be able to forge log lines or flood the log. */
    private static String clean(String s) {
        String line = s.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MAX_NOTICE_CHARS ? line : line.substring(0, MAX_NOTICE_CHARS) + "…";
    }
}

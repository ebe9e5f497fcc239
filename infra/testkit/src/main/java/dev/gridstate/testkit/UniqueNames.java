package dev.gridstate.testkit;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Queue and exchange names that no other test run can collide with:
 * {@code gs-test-<runId>-<purpose>-<n>}. Remembers every name it hands out until forgotten.
 */
final class UniqueNames {

    static final String PREFIX = "gs-test-";
    private static final Pattern PURPOSE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final String runId;
    private final AtomicLong counter = new AtomicLong();
    private final Set<String> handedOut = new LinkedHashSet<>();

    UniqueNames(String runId) {
        this.runId = runId;
    }

    String runId() {
        return runId;
    }

    synchronized String next(String purpose) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("purpose must be 1 to 100 of [A-Za-z0-9._-], but was '" + purpose + "'");
        }
        String name = PREFIX + runId + "-" + purpose + "-" + counter.incrementAndGet();
        handedOut.add(name);
        return name;
    }

    /** Remembers a name built on one handed out (a prefix plus a suffix), so it is deleted too. */
    synchronized String derive(String handedOutName, String suffix) {
        if (!handedOutName.startsWith(PREFIX + runId + "-")) {
            throw new IllegalArgumentException(handedOutName + " was not handed out by this run");
        }
        String name = handedOutName + suffix;
        handedOut.add(name);
        return name;
    }

    synchronized List<String> handedOut() {
        return List.copyOf(handedOut);
    }

    synchronized void forget(Collection<String> names) {
        handedOut.removeAll(names);
    }
}

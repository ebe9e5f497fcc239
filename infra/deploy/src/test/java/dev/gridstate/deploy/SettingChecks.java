package dev.gridstate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a deployment file gives one of our programs in its environment, held to what the program
 * reads. The same rules for a compose service and a Kubernetes container.
 */
final class SettingChecks {

    private SettingChecks() {
    }

    /**
     * Problems with the environment {@code where} (e.g. "compose service gateway-eu-west-1")
     * gives {@code program}; a value is null where the file does not show it (a Secret's).
     */
    static List<String> problems(String where, Program program, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        environment.keySet().stream().filter(name -> !program.reads(name)).sorted().forEach(name ->
                problems.add(where + ": " + name + " is not a setting of " + program.name() + " (none of "
                        + program.documentedIn() + " names it), so it changes nothing"));
        program.essentials().stream().filter(name -> !environment.containsKey(name)).forEach(name ->
                problems.add(where + ": " + program.name() + " needs " + name + " here: without it it refuses to start, "
                        + "serves region 'local', or looks for Redis and RabbitMQ on 127.0.0.1, which is its own container"));
        environment.forEach((name, value) -> {
            if (name.startsWith("REDIS_SERVERS_") && name.endsWith("_URI") && value != null && !value.contains("timeout=")) {
                problems.add(where + ": " + name + "=" + value + " has no ?timeout=: Lettuce then waits 60 s for a "
                        + "command, and a separate timeout setting is ignored when the URI is set");
            }
        });
        return problems;
    }
}

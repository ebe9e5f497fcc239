package dev.gridstate.gateway.replication;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mixed, repeatable workload on one region, step by step, and the model of what it leaves:
 * which nodes have a record, which flags are set, which Subclouds are defined. Every step must
 * be answered with success: the region keeps serving whatever happens to central or the broker.
 */
final class Workload {

    private static final String[] STATES = {"idle", "busy", "idle", "draining"};
    private static final String[] TTL_FLAGS = {"pause", "cooldown"};
    private static final String[] LASTING_FLAGS = {"freeze", "shadow-ban", "maintenance"};

    private final Http http;
    private final Http admin;
    private final String prefix;
    private final Random random;
    private final Set<String> nodes = new TreeSet<>();
    private final Set<String> flags = new TreeSet<>();
    private final Set<String> subclouds = new TreeSet<>();
    private int registered;
    private int steps;

    Workload(Http http, String prefix, long seed) {
        this.http = http;
        this.admin = http.asAdmin();
        this.prefix = prefix;
        this.random = new Random(seed);
    }

    /** Registers {@code count} nodes, one request each. */
    void register(int count) {
        for (int i = 0; i < count; i++) {
            String id = prefix + "-n" + registered++;
            ok(http.put("/v1/nodes/" + id, Nodes.spec(1000 + random.nextInt(60_000))), "register " + id);
            nodes.add(id);
        }
    }

    /** One random step: heartbeats mostly, and now and then a deregistration, flag, disconnection or Subcloud. */
    void step() {
        steps++;
        List<String> known = new ArrayList<>(nodes);
        if (known.isEmpty() || steps % 10 == 0) {
            register(1);
            return;
        }
        String node = known.get(random.nextInt(known.size()));
        int dice = random.nextInt(100);
        if (dice < 55) {
            List<String> beats = new ArrayList<>();
            for (int i = 0; i < Math.min(20, known.size()); i++) {
                beats.add(Nodes.beat(known.get(random.nextInt(known.size())), STATES[random.nextInt(STATES.length)]));
            }
            ok(http.post("/v1/heartbeats", Nodes.batch(beats)), "heartbeats");
        } else if (dice < 62) {
            ok(http.delete("/v1/nodes/" + node), "deregister " + node);
            nodes.remove(node);
        } else if (dice < 72) {
            String kind = TTL_FLAGS[random.nextInt(TTL_FLAGS.length)];
            ok(admin.put("/v1/admin/nodes/" + node + "/flags/" + kind, "{\"reason\":\"drill\",\"ttlMs\":600000}"), kind);
            flags.add(node + ":" + kind);
        } else if (dice < 82) {
            String kind = LASTING_FLAGS[random.nextInt(LASTING_FLAGS.length)];
            ok(admin.put("/v1/admin/nodes/" + node + "/flags/" + kind, "{\"reason\":\"drill\"}"), kind);
            flags.add(node + ":" + kind);
        } else if (dice < 88 && !flags.isEmpty()) {
            List<String> set = new ArrayList<>(flags);
            String flag = set.get(random.nextInt(set.size()));
            String[] parts = flag.split(":");
            ok(admin.delete("/v1/admin/nodes/" + parts[0] + "/flags/" + parts[1]), "lift " + flag);
            flags.remove(flag);
        } else if (dice < 92) {
            ok(http.post("/v1/nodes/" + node + "/disconnect", "{\"expectedMs\":600000}"), "disconnect " + node);
        } else if (dice < 97 || subclouds.isEmpty()) {
            String id = prefix + "-s" + random.nextInt(6);
            String members = "\"" + node + "\"";
            ok(admin.put("/v1/admin/subclouds/" + id,
                    "{\"name\":\"" + id + "\",\"members\":[" + members + "],\"clients\":[\"c" + random.nextInt(3) + "\"]}"),
                    "subcloud " + id);
            subclouds.add(id);
        } else {
            List<String> defined = new ArrayList<>(subclouds);
            String id = defined.get(random.nextInt(defined.size()));
            ok(admin.delete("/v1/admin/subclouds/" + id), "delete subcloud " + id);
            subclouds.remove(id);
        }
    }

    void steps(int count) {
        for (int i = 0; i < count; i++) {
            step();
        }
    }

    Set<String> nodes() {
        return nodes;
    }

    Set<String> flags() {
        return flags;
    }

    Set<String> subclouds() {
        return subclouds;
    }

    private static void ok(Http.Answer answer, String what) {
        assertThat(answer.status()).as(what + ": " + answer.body()).isBetween(200, 299);
    }
}

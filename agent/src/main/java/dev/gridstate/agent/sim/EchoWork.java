package dev.gridstate.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridstate.agent.Assignment;

import java.util.concurrent.ThreadLocalRandom;

/** What simulated nodes do with a job: a short pretend inference (20–200 ms) that echoes the payload. */
public final class EchoWork {

    private EchoWork() {
    }

    public static JsonNode run(Assignment job) throws InterruptedException {
        Thread.sleep(20 + ThreadLocalRandom.current().nextInt(180));
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("node", job.nodeId()).put("model", job.model());
        output.set("echo", job.payload());
        return output;
    }
}

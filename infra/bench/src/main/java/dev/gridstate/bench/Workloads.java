package dev.gridstate.bench;

import dev.gridstate.bench.load.Request;
import dev.gridstate.bench.load.RequestSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests each measurement sends, as a node or a client of the gateway would: registrations,
 * single and batched heartbeats with node tokens, matchmaking queries, claims and jobs. Nodes are
 * {@code bench-0 … bench-(n-1)}, serving llama-3-8b; a third of them labelled tier gold.
 * Request line and headers are encoded once; only bodies are built per request.
 */
final class Workloads {

    private static final String JSON = "application/json";
    private static final List<String> MATCHES = List.of("model=llama-3-8b", "model=llama-3-8b&version=q4",
            "model=llama-3-8b&label=tier:gold", "model=llama-3-8b&minFreeMemoryMb=40000&state=idle");
    private static final Pattern CLAIM_ID = Pattern.compile("\"claimId\":\"([^\"]+)\"");

    private Workloads() {
    }

    static String nodeId(int i) {
        return "bench-" + i;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Registrations of nodes {@code first … first+count-1} in turn (by a counter of its own, not
     * the generator's sequence, which has gaps in closed loop): {@code count} requests answered
     * 2xx register them all once.
     */
    static RequestSource register(int first, int count) {
        AtomicLong next = new AtomicLong();
        return (seq, connection) -> {
            int id = first + (int) (next.getAndIncrement() % count);
            String tier = id % 3 == 0 ? "gold" : "silver";
            String body = "{\"models\":[{\"name\":\"llama-3-8b\",\"version\":\"q4\"}],"
                    + "\"gpu\":{\"model\":\"A100\",\"memoryMb\":81920,\"freeMemoryMb\":" + (id * 7 % 81920) + "},"
                    + "\"labels\":{\"tier\":\"" + tier + "\"}}";
            return Request.builder("PUT", "/v1/nodes/" + nodeId(id)).body(JSON, utf8(body)).build();
        };
    }

    /** One heartbeat of a random node among {@code tokens.length}, with its token. */
    static RequestSource heartbeat(String[] tokens) {
        Request[] perNode = new Request[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            perNode[i] = Request.post("/v1/nodes/" + nodeId(i) + "/heartbeat")
                    .header("Authorization", "Bearer " + tokens[i]).body(JSON, null).build();
        }
        return (seq, connection) -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return perNode[random.nextInt(perNode.length)].withBody(utf8("{\"state\":\""
                    + (random.nextBoolean() ? "idle" : "busy") + "\",\"freeMemoryMb\":" + random.nextInt(80_000) + "}"));
        };
    }

    /**
     * Batches of {@code size} heartbeats, each batch the next {@code size} nodes in turn, so
     * {@code tokens.length / size} batches beat every node once.
     */
    static RequestSource batches(String[] tokens, int size) {
        Request template = Request.post("/v1/heartbeats").body(JSON, null).build();
        AtomicLong next = new AtomicLong();
        return (seq, connection) -> {
            StringBuilder body = new StringBuilder(size * 110).append("{\"heartbeats\":[");
            int first = (int) ((next.getAndIncrement() * size) % tokens.length);
            for (int i = 0; i < size; i++) {
                int id = (first + i) % tokens.length;
                if (i > 0) {
                    body.append(',');
                }
                body.append("{\"nodeId\":\"").append(nodeId(id)).append("\",\"state\":\"idle\",\"freeMemoryMb\":")
                        .append(ThreadLocalRandom.current().nextInt(80_000)).append(",\"nodeToken\":\"")
                        .append(tokens[id]).append("\"}");
            }
            return template.withBody(utf8(body.append("]}").toString()));
        };
    }

    /** Matchmaking: the first ten nodes for a model, by version, by label, by free memory and state. */
    static RequestSource match() {
        Request[] queries = MATCHES.stream().map(q -> Request.get("/v1/nodes?limit=10&" + q).build()).toArray(Request[]::new);
        return (seq, connection) -> queries[(int) (seq % queries.length)];
    }

    /**
     * Claims of a llama-3-8b node, each released by a later request: about every other request
     * is a claim, so the pool of ready nodes never runs dry.
     */
    static RequestSource claims() {
        ConcurrentLinkedQueue<String> granted = new ConcurrentLinkedQueue<>();
        Request claim = Request.post("/v1/claims").body(JSON, utf8("{\"model\":\"llama-3-8b\",\"leaseMs\":30000}")).build();
        return new RequestSource() {
            @Override
            public Request next(long seq, int connection) {
                String id = granted.poll();
                return id != null ? Request.builder("DELETE", "/v1/claims/" + id).build() : claim;
            }

            @Override
            public boolean wantsBody() {
                return true;
            }

            @Override
            public void onResponse(Request request, int status, String body) {
                if (status == 201 && body != null) {
                    Matcher m = CLAIM_ID.matcher(body);
                    if (m.find()) {
                        granted.add(m.group(1));
                    }
                }
            }
        };
    }

    /** Job submissions round the fleet's models, each with its own idempotency key. */
    static RequestSource jobs(List<String> models, String run) {
        Request template = Request.post("/v1/jobs").body(JSON, null).build();
        return (seq, connection) -> template.withBody(utf8("{\"model\":\"" + models.get((int) (seq % models.size()))
                + "\",\"payload\":{\"n\":" + seq + "},\"idempotencyKey\":\"" + run + "-" + seq + "\"}"));
    }
}

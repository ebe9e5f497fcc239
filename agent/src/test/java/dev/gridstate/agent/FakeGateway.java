package dev.gridstate.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A small in-process gateway speaking the node API on 127.0.0.1, recording every request it gets.
 * By default it behaves like a healthy gateway: registrations answer a node token derived from the
 * node id and the current secret (so, as with the real HMAC tokens, forgetting a node keeps its
 * token valid and {@link #rotateSecret} makes every token stale), heartbeats and disconnections
 * without the right token answer 401. {@link #override} makes it answer otherwise.
 *
 * <p>Jobs given to {@link #assign} are handed out by the next assignment poll of their node, all in one
 * answer; a poll finding none is held open for its {@code waitMs}, as the gateway does. Lease renewals,
 * results and failures with the node's token are accepted, until {@link #loseLease} makes renewals of a
 * job answer 409 lease_lost.
 */
public final class FakeGateway implements AutoCloseable {

    /** A request as it came; {@code authorization} and {@code query} are null when it had none. */
    public record Received(String method, String path, JsonNode body, long atNanos, String authorization,
                           String query) {
    }

    /** A job as an assignment poll hands it out; its lease runs {@code leaseMs} from then. */
    public record Job(String jobId, String model, String payload, int attempt, long leaseMs) {
        public static Job of(String jobId) {
            return new Job(jobId, "llama-3-8b", "{\"prompt\":\"" + jobId + "\"}", 1, 30_000);
        }

        public Job attempt(int n) {
            return new Job(jobId, model, payload, n, leaseMs);
        }

        public Job leaseMs(long ms) {
            return new Job(jobId, model, payload, attempt, ms);
        }
    }

    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply of(int status, String body) {
            return new Reply(status, body, Map.of());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NODE = Pattern.compile("/v1/nodes/([^/]+)");
    private static final Pattern HEARTBEAT = Pattern.compile("/v1/nodes/([^/]+)/heartbeat");
    private static final Pattern DISCONNECT = Pattern.compile("/v1/nodes/([^/]+)/disconnect");
    private static final Pattern ASSIGNMENTS = Pattern.compile("/v1/nodes/([^/]+)/assignments");
    private static final Pattern JOB = Pattern.compile("/v1/jobs/([^/]+)/(lease|result|failure)");
    private static final Pattern WAIT_MS = Pattern.compile("(?:^|&)waitMs=(\\d+)");

    private final HttpServer server;
    // a thread per request, so that held assignment polls never keep other requests waiting
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile long intervalMs = 100;
    private volatile String directives = "[]";
    private final AtomicInteger secret = new AtomicInteger();
    private final Map<String, Integer> revoked = new ConcurrentHashMap<>();
    private volatile Function<Received, Reply> override = request -> null;
    private final ReentrantLock jobsLock = new ReentrantLock();
    private final Condition jobsAssigned = jobsLock.newCondition();
    private final Map<String, List<Job>> pending = new HashMap<>();
    private final Set<String> lostLeases = ConcurrentHashMap.newKeySet();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeGateway start() {
        try {
            return new FakeGateway();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake gateway", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeGateway intervalMs(long interval) {
        this.intervalMs = interval;
        return this;
    }

    public void directives(String jsonArray) {
        this.directives = jsonArray;
    }

    /** The token the gateway issues to the node and accepts from it, under the current secret. */
    public String tokenOf(String nodeId) {
        return "tok-" + nodeId + "-" + (secret.get() + revoked.getOrDefault(nodeId, 0));
    }

    /** Makes the node's current token stale, as if it had been issued under another secret. */
    public void revokeToken(String nodeId) {
        revoked.merge(nodeId, 1, Integer::sum);
    }

    /** Simulates a new node-token secret: every token issued so far is refused from now on. */
    public void rotateSecret() {
        secret.incrementAndGet();
    }

    /** Simulates the region's Redis losing the node. */
    public void forget(String nodeId) {
        known.remove(nodeId);
    }

    public void forgetAll() {
        known.clear();
    }

    /** Answers with the function's reply; where it returns null, behaves normally. */
    public void override(Function<Received, Reply> answer) {
        this.override = answer;
    }

    public void behaveNormally() {
        this.override = request -> null;
    }

    /** Hands the jobs out with the node's next assignment poll (one still held open included), in one answer. */
    public void assign(String nodeId, Job... jobs) {
        jobsLock.lock();
        try {
            pending.computeIfAbsent(nodeId, id -> new ArrayList<>()).addAll(List.of(jobs));
            jobsAssigned.signalAll();
        } finally {
            jobsLock.unlock();
        }
    }

    /** From now on, renewals of the job's lease answer 409 lease_lost. */
    public void loseLease(String jobId) {
        lostLeases.add(jobId);
    }

    public List<Received> polls(String nodeId) {
        return requests("GET", "/v1/nodes/" + nodeId + "/assignments");
    }

    public List<Received> leaseRenewals(String jobId) {
        return requests("POST", "/v1/jobs/" + jobId + "/lease");
    }

    public List<Received> results(String jobId) {
        return requests("POST", "/v1/jobs/" + jobId + "/result");
    }

    public List<Received> failures(String jobId) {
        return requests("POST", "/v1/jobs/" + jobId + "/failure");
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> requests(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public List<Received> registrations(String nodeId) {
        return requests("PUT", "/v1/nodes/" + nodeId);
    }

    public List<Received> batches() {
        return requests("POST", "/v1/heartbeats");
    }

    public List<Received> disconnections(String nodeId) {
        return requests("POST", "/v1/nodes/" + nodeId + "/disconnect");
    }

    /** Every heartbeat entry for the node, single or batched, in arrival order. */
    public List<Received> heartbeatsOf(String nodeId) {
        List<Received> beats = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals("/v1/nodes/" + nodeId + "/heartbeat")) {
                beats.add(r);
            } else if (r.path().equals("/v1/heartbeats")) {
                r.body().path("heartbeats").forEach(entry -> {
                    if (entry.path("nodeId").asText().equals(nodeId)) {
                        beats.add(new Received(r.method(), r.path(), entry, r.atNanos(), r.authorization(), r.query()));
                    }
                });
            }
        }
        return beats;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            JsonNode body = bytes.length == 0 ? MissingNode.getInstance() : JSON.readTree(bytes);
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                    System.nanoTime(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestURI().getRawQuery());
            received.add(request);
            Reply reply = override.apply(request);
            send(exchange, reply != null ? reply : normally(request));
        }
    }

    private Reply normally(Received request) {
        Matcher heartbeat = HEARTBEAT.matcher(request.path());
        Matcher node = NODE.matcher(request.path());
        Matcher disconnect = DISCONNECT.matcher(request.path());
        Matcher assignments = ASSIGNMENTS.matcher(request.path());
        Matcher job = JOB.matcher(request.path());
        if (request.method().equals("GET") && assignments.matches()) {
            if (!bearerOf(assignments.group(1), request)) {
                return Reply.of(401, unauthorized());
            }
            return known.contains(assignments.group(1)) ? Reply.of(200, poll(assignments.group(1), request.query()))
                    : Reply.of(409, unknown());
        }
        if (request.method().equals("POST") && job.matches()) {
            if (!bearerOf(request.body().path("nodeId").asText(), request)) {
                return Reply.of(401, unauthorized());
            }
            return jobAnswer(job.group(1), job.group(2), request.body());
        }
        if (request.method().equals("POST") && heartbeat.matches()) {
            if (!bearerOf(heartbeat.group(1), request)) {
                return Reply.of(401, unauthorized());
            }
            return known.contains(heartbeat.group(1)) ? Reply.of(200, ok()) : Reply.of(409, unknown());
        }
        if (request.method().equals("POST") && disconnect.matches()) {
            if (!bearerOf(disconnect.group(1), request)) {
                return Reply.of(401, unauthorized());
            }
            return known.contains(disconnect.group(1)) ? Reply.of(204, "") : Reply.of(409, unknown());
        }
        if (request.method().equals("POST") && request.path().equals("/v1/heartbeats")) {
            return Reply.of(200, batch(request.body()));
        }
        if (request.method().equals("PUT") && node.matches()) {
            boolean created = known.add(node.group(1));
            return Reply.of(created ? 201 : 200, """
                    {"nodeId":"%s","region":"test","created":%s,"ttlMs":%d,"intervalMs":%d,"nodeToken":"%s"}"""
                    .formatted(node.group(1), created, intervalMs * 3, intervalMs, tokenOf(node.group(1))));
        }
        if (request.method().equals("DELETE") && node.matches()) {
            return known.remove(node.group(1)) ? Reply.of(204, "") : Reply.of(404, unknown());
        }
        return Reply.of(404, "{\"error\":\"not_found\",\"message\":\"no route " + request.path() + "\"}");
    }

    private String poll(String nodeId, String query) {
        Matcher wait = WAIT_MS.matcher(query == null ? "" : query);
        long waitMs = wait.find() ? Long.parseLong(wait.group(1)) : 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        List<Job> jobs;
        jobsLock.lock();
        try {
            while (pending.getOrDefault(nodeId, List.of()).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return "[]";
                }
                jobsAssigned.awaitNanos(left);
            }
            jobs = pending.remove(nodeId);
        } catch (InterruptedException e) {
            // the fake is closing
            Thread.currentThread().interrupt();
            return "[]";
        } finally {
            jobsLock.unlock();
        }
        long now = System.currentTimeMillis();
        return jobs.stream().map(j -> """
                {"jobId":"%s","model":"%s","payload":%s,"attempt":%d,"leaseExpiresAt":%d,"leaseMs":%d}"""
                .formatted(j.jobId(), j.model(), j.payload(), j.attempt(), now + j.leaseMs(), j.leaseMs()))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private Reply jobAnswer(String jobId, String kind, JsonNode body) {
        int attempt = body.path("attempt").asInt();
        return switch (kind) {
            case "lease" -> lostLeases.contains(jobId)
                    ? Reply.of(409, "{\"error\":\"lease_lost\",\"message\":\"job %s is no longer yours\"}"
                            .formatted(jobId))
                    : Reply.of(200, "{\"jobId\":\"%s\",\"attempt\":%d,\"leaseExpiresAt\":%d}"
                            .formatted(jobId, attempt, System.currentTimeMillis() + 30_000));
            case "result" -> Reply.of(200, "{\"jobId\":\"%s\",\"state\":\"succeeded\",\"duplicate\":%s}"
                    .formatted(jobId, !reported.add(jobId)));
            default -> Reply.of(200, "{\"jobId\":\"%s\",\"state\":\"failed\"}".formatted(jobId));
        };
    }

    private String ok() {
        return "{\"ttlMs\":%d,\"intervalMs\":%d,\"directives\":%s}".formatted(intervalMs * 3, intervalMs, directives);
    }

    private boolean bearerOf(String nodeId, Received request) {
        return ("Bearer " + tokenOf(nodeId)).equals(request.authorization());
    }

    private static String unauthorized() {
        return "{\"error\":\"unauthorized\",\"message\":\"a valid node token is required\"}";
    }

    private static String unknown() {
        return "{\"error\":\"unknown_node\",\"message\":\"node is not registered\",\"directive\":\"re-register\"}";
    }

    private String batch(JsonNode body) {
        ObjectNode answer = JSON.createObjectNode();
        var results = answer.putArray("results");
        body.path("heartbeats").forEach(entry -> {
            String id = entry.path("nodeId").asText();
            ObjectNode result = results.addObject().put("nodeId", id);
            if (!tokenOf(id).equals(entry.path("nodeToken").asText())) {
                result.put("status", 401).put("error", "unauthorized");
            } else if (known.contains(id)) {
                result.put("status", 200).put("ttlMs", intervalMs * 3).put("intervalMs", intervalMs);
                result.set("directives", readTree(directives));
            } else {
                result.put("status", 409).put("error", "unknown_node").put("directive", "re-register");
            }
        });
        return answer.toString();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("bad JSON in the fake gateway's own directives: " + json, e);
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.gridstate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain HTTP client for tests: raw bodies in (so bad input can be sent as it is), status and JSON
 * out. It remembers the node token of every registration answer it sees and sends it with every
 * later request about that node, as an agent does, unless a bearer was set explicitly.
 */
public final class Http {

    private static final Pattern NODE_PATH = Pattern.compile("/v1/nodes/([^/?]+)(/(heartbeat|disconnect))?");
    private static final Map<String, String> NODE_TOKENS = new ConcurrentHashMap<>();

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String bearer;

    public Http(URI base) {
        this(base, null);
    }

    private Http(URI base, String bearer) {
        this.base = base;
        this.bearer = bearer;
    }

    /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
    public Http withBearer(String token) {
        return new Http(base, token);
    }

    /** The same client, as an admin of the test gateways. */
    public Http asAdmin() {
        return withBearer(TestGateway.ADMIN_TOKEN);
    }

    public record Answer(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer put(String path, String body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    /** The token the gateway gave the node when it registered through any Http of this JVM. */
    public static String token(String nodeId) {
        String token = NODE_TOKENS.get(nodeId);
        if (token == null) {
            throw new IllegalStateException("node " + nodeId + " was not registered through Http in this test run");
        }
        return token;
    }

    public Answer send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher node = NODE_PATH.matcher(request.uri().getPath());
            if (node.matches() && node.group(2) == null && request.method().equals("PUT") && r.statusCode() / 100 == 2) {
                NODE_TOKENS.put(node.group(1), JSON.readTree(r.body()).get("nodeToken").asText());
            }
            return new Answer(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json");
        String token = bearer;
        Matcher node = NODE_PATH.matcher(base.resolve(path).getPath());
        if (token == null && node.matches()) {
            token = NODE_TOKENS.get(node.group(1));
        }
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }
}

package dev.gridstate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local topology's process control, for drills: on 127.0.0.1 only, with the admin token.
 * <pre>
 * POST /gateways/{name}/kill     SIGKILL a gateway replica
 * POST /gateways/{name}/start    start it again (answers once it is up)
 * POST /redis/{name}/kill        SIGKILL central or a region's Redis
 * POST /redis/{name}/restart     start it again: central replays its AOF, a regional one comes back empty
 * </pre>
 * Answers 204, or 4xx with a one-line JSON error.
 */
final class ControlServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("^/(gateways|redis)/([A-Za-z0-9_.-]+)/(kill|start|restart)$");

    private final HttpServer http;

    private ControlServer(HttpServer http) {
        this.http = http;
    }

    static ControlServer start(int port, String adminToken, LocalDeployment deployment) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            http.createContext("/", exchange -> handle(exchange, adminToken, deployment));
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            return new ControlServer(http);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the control API on 127.0.0.1:" + port
                    + " (choose another port with --control-port)", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, String adminToken, LocalDeployment deployment) throws IOException {
        try (exchange) {
            if (!("Bearer " + adminToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "unauthorized", "the admin token is required, as a bearer token");
                return;
            }
            Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
            if (!m.matches()) {
                answer(exchange, 404, "not_found", "POST /gateways/{name}/kill|start or /redis/{name}/kill|restart");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "method_not_allowed", "use POST");
                return;
            }
            String kind = m.group(1);
            String name = m.group(2);
            String action = m.group(3);
            try {
                switch (kind + " " + action) {
                    case "gateways kill" -> deployment.killGateway(name);
                    case "gateways start" -> deployment.startGateway(name);
                    case "redis kill" -> deployment.redisNamed(name).kill();
                    case "redis restart" -> deployment.redisNamed(name).restart();
                    default -> {
                        answer(exchange, 404, "not_found", action + " is not an action on " + kind);
                        return;
                    }
                }
            } catch (IllegalArgumentException unknown) {
                answer(exchange, 404, "not_found", unknown.getMessage());
                return;
            } catch (RuntimeException e) {
                answer(exchange, 500, "failed", kind + " " + name + ": " + action + " failed: " + e.getMessage());
                return;
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private static void answer(HttpExchange exchange, int status, String error, String message) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("error", error, "message", String.valueOf(message)));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}

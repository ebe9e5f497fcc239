package dev.gridstate.testkit.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge: routes Toxiproxy's paths, reads and writes JSON, and turns refusals into error answers. */
final class ApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToxiproxyServer server;

    ApiHandler(ToxiproxyServer server) {
        this.server = server;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (ToxiproxyApiException e) {
                send(exchange, e.status(), Map.of("error", e.getMessage(), "status", e.status()));
            } catch (JsonProcessingException e) {
                send(exchange, 400, Map.of("error", "bad JSON: " + e.getOriginalMessage(), "status", 400));
            } catch (RuntimeException e) {
                log.warn("Toxiproxy API: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                send(exchange, 500, Map.of("error", String.valueOf(e), "status", 500));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> path = Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                .filter(segment -> !segment.isEmpty())
                .toList();
        String route = method + " " + String.join("/", path.stream().limit(1).toList()) + "/" + path.size();
        switch (route) {
            case "GET version/1" -> sendText(exchange, ToxiproxyServer.VERSION);
            case "POST reset/1" -> {
                server.reset();
                sendEmpty(exchange);
            }
            case "GET proxies/1" -> send(exchange, 200, server.proxiesJson());
            case "POST proxies/1" -> createProxy(exchange, body(exchange));
            case "GET proxies/2" -> send(exchange, 200, server.proxy(path.get(1)).toJson());
            case "POST proxies/2" -> updateProxy(exchange, server.proxy(path.get(1)), body(exchange));
            case "DELETE proxies/2" -> {
                server.delete(path.get(1));
                sendEmpty(exchange);
            }
            case "GET proxies/3" -> send(exchange, 200,
                    toxicsOf(path).toxics().stream().map(ProxyListener::toxicJson).toList());
            case "POST proxies/3" -> addToxic(exchange, toxicsOf(path), body(exchange));
            case "GET proxies/4" -> send(exchange, 200, ProxyListener.toxicJson(toxicsOf(path).toxic(path.get(3))));
            case "POST proxies/4" -> updateToxic(exchange, toxicsOf(path), path.get(3), body(exchange));
            case "DELETE proxies/4" -> {
                toxicsOf(path).removeToxic(path.get(3));
                sendEmpty(exchange);
            }
            default -> throw ToxiproxyApiException.notFound("no route for " + method + " " + exchange.getRequestURI());
        }
    }

    private ProxyListener toxicsOf(List<String> path) {
        if (!"toxics".equals(path.get(2))) {
            throw ToxiproxyApiException.notFound("no route for /" + String.join("/", path));
        }
        return server.proxy(path.get(1));
    }

    private void createProxy(HttpExchange exchange, JsonNode body) throws IOException {
        ProxyListener proxy = server.create(
                text(body, "name", null),
                text(body, "listen", "127.0.0.1:0"),
                text(body, "upstream", null),
                !body.has("enabled") || body.get("enabled").asBoolean());
        send(exchange, 201, proxy.toJson());
    }

    private void updateProxy(HttpExchange exchange, ProxyListener proxy, JsonNode body) throws IOException {
        if (body.has("upstream")) {
            proxy.setUpstream(body.get("upstream").asText());
        }
        if (body.has("listen")) {
            proxy.setListen(body.get("listen").asText());
        }
        if (body.has("enabled")) {
            proxy.setEnabled(body.get("enabled").asBoolean());
        }
        send(exchange, 200, proxy.toJson());
    }

    private void addToxic(HttpExchange exchange, ProxyListener proxy, JsonNode body) throws IOException {
        ToxicType type = ToxicType.fromWire(text(body, "type", null));
        Toxic.Stream stream = Toxic.Stream.fromWire(text(body, "stream", "downstream"));
        String name = text(body, "name", type.wireName() + "_" + stream.wireName());
        Toxic toxic = new Toxic(name, type, stream, toxicity(body, 1.0), attributes(body, Map.of()));
        proxy.addToxic(toxic);
        send(exchange, 200, ProxyListener.toxicJson(toxic));
    }

    private void updateToxic(HttpExchange exchange, ProxyListener proxy, String name, JsonNode body)
            throws IOException {
        Toxic old = proxy.toxic(name);
        Toxic updated = new Toxic(name, old.type(), old.stream(), toxicity(body, old.toxicity()),
                attributes(body, old.attributes()));
        proxy.replaceToxic(updated);
        send(exchange, 200, ProxyListener.toxicJson(updated));
    }

    private static double toxicity(JsonNode body, double fallback) {
        JsonNode toxicity = body.get("toxicity");
        return toxicity == null || toxicity.isNull() ? fallback : toxicity.asDouble();
    }

    /** The given attributes over the old ones, as Toxiproxy merges an update. */
    private static Map<String, Long> attributes(JsonNode body, Map<String, Long> old) {
        Map<String, Long> merged = new LinkedHashMap<>(old);
        JsonNode attributes = body.get("attributes");
        if (attributes != null && attributes.isObject()) {
            attributes.properties().forEach(entry -> {
                if (!entry.getValue().isNumber()) {
                    throw ToxiproxyApiException.badRequest(
                            "attribute '" + entry.getKey() + "' must be a number, but was " + entry.getValue());
                }
                merged.put(entry.getKey(), entry.getValue().asLong());
            });
        }
        return merged;
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw ToxiproxyApiException.badRequest("field '" + field + "' is missing");
            }
            return fallback;
        }
        return value.asText();
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            JsonNode node = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            if (node.getNodeType() != JsonNodeType.OBJECT) {
                throw ToxiproxyApiException.badRequest("the body must be a JSON object");
            }
            return node;
        }
    }

    private static void send(HttpExchange exchange, int status, Object json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sendText(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sendEmpty(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(204, -1);
    }
}

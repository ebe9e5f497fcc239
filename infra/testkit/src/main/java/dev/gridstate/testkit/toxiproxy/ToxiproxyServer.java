package dev.gridstate.testkit.toxiproxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A Toxiproxy-compatible server on loopback, for machines that cannot run the real binary. It
 * speaks the HTTP API as {@code eu.rekawek.toxiproxy:toxiproxy-java} uses it: proxies (create,
 * read, update, delete, {@code /reset}) and the toxics latency, timeout, reset_peer, limit_data,
 * bandwidth, slow_close and slicer. {@link #close()} closes every proxy and connection.
 */
public final class ToxiproxyServer implements AutoCloseable {

    static final String VERSION = "2.5.0-gridstate";

    private final Map<String, ProxyListener> proxies = new TreeMap<>();
    private final HttpServer http;

    private ToxiproxyServer(HttpServer http) {
        this.http = http;
    }

    /** Starts the API on {@code 127.0.0.1:apiPort}; 0 picks a free port. */
    public static ToxiproxyServer start(int apiPort) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), apiPort), 0);
            ToxiproxyServer server = new ToxiproxyServer(http);
            http.createContext("/", new ApiHandler(server));
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Toxiproxy API on 127.0.0.1:" + apiPort, e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public synchronized void close() {
        http.stop(0);
        proxies.values().forEach(ProxyListener::close);
        proxies.clear();
    }

    synchronized Map<String, Object> proxiesJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        proxies.forEach((name, proxy) -> json.put(name, proxy.toJson()));
        return json;
    }

    synchronized ProxyListener create(String name, String listen, String upstream, boolean enabled) {
        if (name == null || name.isBlank()) {
            throw ToxiproxyApiException.badRequest("proxy name is missing");
        }
        if (proxies.containsKey(name)) {
            throw ToxiproxyApiException.conflict("proxy '" + name + "' already exists");
        }
        ProxyListener.Address.parse(upstream);
        ProxyListener proxy = new ProxyListener(name, listen, upstream);
        proxy.setEnabled(enabled);
        proxies.put(name, proxy);
        return proxy;
    }

    synchronized ProxyListener proxy(String name) {
        ProxyListener proxy = proxies.get(name);
        if (proxy == null) {
            throw ToxiproxyApiException.notFound("proxy '" + name + "' not found");
        }
        return proxy;
    }

    synchronized void delete(String name) {
        proxy(name).close();
        proxies.remove(name);
    }

    /** Enables every proxy and removes every toxic. */
    synchronized void reset() {
        List.copyOf(proxies.values()).forEach(ProxyListener::reset);
    }

    @Override
    public String toString() {
        return "ToxiproxyServer[" + url() + ", proxies=" + proxies.keySet() + "]";
    }
}

package dev.gridstate.testkit.toxiproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named proxy: listens on loopback while enabled, forwards each connection to its upstream
 * through a {@link ToxicLink}, and holds the proxy's toxics.
 */
final class ProxyListener {

    private static final Logger log = LoggerFactory.getLogger(ProxyListener.class);

    private final String name;
    private final Map<String, Toxic> toxics = new LinkedHashMap<>();
    private final Set<ToxicLink> links = ConcurrentHashMap.newKeySet();
    private String listen;
    // Read by the acceptor without the lock, which a disable holds while it waits for the acceptor.
    private volatile String upstream;
    private boolean enabled;
    private ServerSocket server;
    private Thread acceptor;

    ProxyListener(String name, String listen, String upstream) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
    }

    String name() {
        return name;
    }

    synchronized Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("listen", listen);
        json.put("upstream", upstream);
        json.put("enabled", enabled);
        json.put("toxics", toxics.values().stream().map(ProxyListener::toxicJson).toList());
        return json;
    }

    static Map<String, Object> toxicJson(Toxic toxic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", toxic.name());
        json.put("type", toxic.type().wireName());
        json.put("stream", toxic.stream().wireName());
        json.put("toxicity", toxic.toxicity());
        json.put("attributes", toxic.attributes());
        return json;
    }

    /** Listens (again) when {@code true}; when {@code false} closes every connection and stops listening. */
    synchronized void setEnabled(boolean enable) {
        if (enable && server == null) {
            server = bind(listen);
            listen = Address.parse(listen).host() + ":" + server.getLocalPort();
            ServerSocket listening = server;
            acceptor = Thread.ofVirtual().name("toxiproxy-" + name).start(() -> accept(listening));
        } else if (!enable && server != null) {
            closeQuietly(server);
            server = null;
            List.copyOf(links).forEach(link -> link.close(null));
            awaitAcceptorEnd();
        }
        enabled = enable;
    }

    synchronized void setListen(String newListen) {
        Address.parse(newListen);
        boolean wasEnabled = enabled;
        setEnabled(false);
        listen = newListen;
        setEnabled(wasEnabled);
    }

    /** Applies to new connections. */
    synchronized void setUpstream(String newUpstream) {
        Address.parse(newUpstream);
        upstream = newUpstream;
    }

    synchronized List<Toxic> toxics() {
        return new ArrayList<>(toxics.values());
    }

    synchronized boolean hasToxic(Toxic toxic) {
        return toxics.get(toxic.name()) == toxic;
    }

    synchronized Toxic toxic(String toxicName) {
        Toxic toxic = toxics.get(toxicName);
        if (toxic == null) {
            throw ToxiproxyApiException.notFound("toxic '" + toxicName + "' not found on proxy '" + name + "'");
        }
        return toxic;
    }

    synchronized void addToxic(Toxic toxic) {
        if (toxics.containsKey(toxic.name())) {
            throw ToxiproxyApiException.conflict("toxic '" + toxic.name() + "' already exists on proxy '" + name + "'");
        }
        putToxic(toxic);
    }

    synchronized void replaceToxic(Toxic toxic) {
        toxic(toxic.name());
        putToxic(toxic);
    }

    synchronized void removeToxic(String toxicName) {
        toxic(toxicName);
        toxics.remove(toxicName);
    }

    synchronized void reset() {
        toxics.clear();
        setEnabled(true);
    }

    synchronized void close() {
        setEnabled(false);
        toxics.clear();
    }

    /** The socket is released only once its blocked accept returns, so a disable or a delete waits for it. */
    private void awaitAcceptorEnd() {
        try {
            if (!acceptor.join(Duration.ofSeconds(5))) {
                log.warn("proxy '{}': its listener did not stop within 5 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void forget(ToxicLink link) {
        links.remove(link);
    }

    private void putToxic(Toxic toxic) {
        toxics.put(toxic.name(), toxic);
        links.forEach(link -> link.toxicAdded(toxic));
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                log.debug("proxy '{}' stopped listening: {}", name, e.toString());
                return;
            }
            connect(listening, client);
        }
    }

    private void connect(ServerSocket listening, Socket client) {
        Address target = Address.parse(upstream);
        Socket upstreamSocket;
        try {
            upstreamSocket = new Socket(target.host(), target.port());
        } catch (IOException e) {
            log.debug("proxy '{}': upstream {} refused: {}", name, target, e.toString());
            closeQuietly(client);
            return;
        }
        ToxicLink link = new ToxicLink(this, client, upstreamSocket);
        links.add(link);
        // Added before the check: a disable closes the listener before it closes the links.
        if (listening.isClosed()) {
            link.close(null);
        }
        link.start();
    }

    private ServerSocket bind(String address) {
        Address parsed = Address.parse(address);
        try {
            InetAddress host = InetAddress.getByName(parsed.host());
            if (!host.isLoopbackAddress()) {
                throw ToxiproxyApiException.badRequest(
                        "proxy '" + name + "' may listen on loopback only, but was asked for " + address);
            }
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, parsed.port()));
            return socket;
        } catch (IOException e) {
            throw ToxiproxyApiException.badRequest("proxy '" + name + "' cannot listen on " + address + ": " + e);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("closing {} failed", closeable, e);
        }
    }

    /** A {@code host:port} as Toxiproxy writes listen and upstream addresses. */
    record Address(String host, int port) {

        static Address parse(String address) {
            int colon = address == null ? -1 : address.lastIndexOf(':');
            if (colon < 0) {
                throw ToxiproxyApiException.badRequest("address must be host:port, but was '" + address + "'");
            }
            String host = colon == 0 ? "127.0.0.1" : address.substring(0, colon);
            try {
                return new Address(host, Integer.parseInt(address.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw ToxiproxyApiException.badRequest("address must be host:port, but was '" + address + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}

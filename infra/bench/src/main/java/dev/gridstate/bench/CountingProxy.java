package dev.gridstate.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of one gateway that counts the bytes each way: what the node
 * agents' requests (request line, headers and body, as the JDK HTTP client sends them) and the
 * gateway's answers weigh on the wire, without touching either.
 */
final class CountingProxy implements AutoCloseable {

    private final URI upstream;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong toUpstream = new AtomicLong();
    private final AtomicLong fromUpstream = new AtomicLong();
    private volatile boolean closed;

    /** Bytes relayed so far: requests (to the gateway) and answers (from it). */
    record Bytes(long requests, long answers) {
    }

    private CountingProxy(URI upstream, ServerSocket server) {
        this.upstream = upstream;
        this.server = server;
    }

    /** A relay on a free loopback port to {@code upstream} (an http://127.0.0.1:port URI). */
    static CountingProxy to(URI upstream) {
        if (!"127.0.0.1".equals(upstream.getHost())) {
            throw new IllegalArgumentException("CountingProxy relays to loopback only, but was given " + upstream);
        }
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CountingProxy proxy = new CountingProxy(upstream, server);
            Thread.ofPlatform().name("counting-proxy-" + server.getLocalPort()).daemon().start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1 for a relay to " + upstream, e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    Bytes bytes() {
        return new Bytes(toUpstream.get(), fromUpstream.get());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket gateway;
                try {
                    gateway = new Socket(InetAddress.getLoopbackAddress(), upstream.getPort());
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                gateway.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(gateway);
                pump(client, gateway, toUpstream);
                pump(gateway, client, fromUpstream);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        Thread.ofPlatform().name("counting-proxy-pump").daemon().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    counter.addAndGet(n);
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        sockets.forEach(CountingProxy::closeQuietly);
        sockets.clear();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}

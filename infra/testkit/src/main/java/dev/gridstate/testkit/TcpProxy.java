package dev.gridstate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy a test can cut: {@link #cut()} closes every connection through it and
 * refuses new ones, as a network partition does; {@link #restore()} lets connections in again.
 * Enough for "the broker is unreachable for a while"; latency and bandwidth faults are the
 * chaos suite's Toxiproxy.
 */
public final class TcpProxy implements AutoCloseable {

    private final int upstreamPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong toUpstream = new AtomicLong();
    private final AtomicLong fromUpstream = new AtomicLong();
    private volatile ServerSocket server;
    private volatile boolean closed;

    private TcpProxy(int upstreamPort, int port) {
        this.upstreamPort = upstreamPort;
        this.port = port;
    }

    /** A proxy on a free loopback port to {@code 127.0.0.1:upstreamPort}, open. */
    public static TcpProxy to(int upstreamPort) {
        TcpProxy proxy = new TcpProxy(upstreamPort, Ports.freePort());
        proxy.restore();
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Bytes relayed to the upstream so far, over every connection. */
    public long bytesToUpstream() {
        return toUpstream.get();
    }

    /** Bytes relayed back from the upstream so far, over every connection. */
    public long bytesFromUpstream() {
        return fromUpstream.get();
    }

    /** Lets connections through again (a no-op while open). */
    public synchronized void restore() {
        if (closed || server != null) {
            return;
        }
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = listening;
            Thread.ofPlatform().name("tcp-proxy-" + port).daemon().start(() -> accept(listening));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Closes every connection through the proxy and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        ServerSocket listening = server;
        server = null;
        if (listening != null) {
            closeQuietly(listening);
        }
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                // Relay each write at once: Nagle's delay on top of the peers' would skew what flows through.
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                if (server != listening) {
                    // Cut while this connection was being made.
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                pump(client, upstream, toUpstream);
                pump(upstream, client, fromUpstream);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong relayed) {
        Thread.ofPlatform().name("tcp-proxy-" + port + "-pump").daemon().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    relayed.addAndGet(n);
                }
            } catch (IOException e) {
                // One side closed or was cut: close both.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        });
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort + "]";
    }
}

package dev.gridstate.bench.load;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wrk2-style HTTP/1.1 load generator: a fixed set of keep-alive connections on a small Netty
 * event loop group, one request in flight per connection, no pipelining. Connections that close
 * or fail are reopened with a bounded backoff. One run at a time; close it when done.
 *
 * <pre>{@code
 * try (LoadGenerator load = LoadGenerator.builder(URI.create("http://127.0.0.1:8081")).connections(16).build()) {
 *     LoadResult result = load.run(LoadSpec.open("subclouds", 2000).build(),
 *             RequestSource.repeating(Request.get("/v1/subclouds").build()));
 * }
 * }</pre>
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

    public static final int DEFAULT_CONNECTIONS = 8;
    public static final int DEFAULT_IO_THREADS = 1;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_RECONNECT_BACKOFF = Duration.ofSeconds(1);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Beyond a run's bound, how long run() waits for the event loops before giving up. */
    private static final Duration RUN_SLACK = Duration.ofSeconds(2);

    private final URI uri;
    private final InetSocketAddress address;
    private final byte[] hostLine;
    private final Duration connectTimeout;
    private final long maxBackoffNanos;
    private final EventLoopGroup group;
    private final List<Connection> connections = new ArrayList<>();
    private final Map<EventLoop, List<Connection>> byLoop = new LinkedHashMap<>();
    private final LongAdder connectErrors = new LongAdder();
    private final CountDownLatch firstConnects;
    private volatile boolean closed;

    private LoadGenerator(Builder builder) {
        this.uri = builder.base;
        this.address = new InetSocketAddress(uri.getHost(), port(uri));
        String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        this.hostLine = ("Host: " + authority + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.connectTimeout = builder.connectTimeout;
        this.maxBackoffNanos = builder.maxReconnectBackoff.toNanos();
        this.group = new MultiThreadIoEventLoopGroup(
                builder.ioThreads, new DefaultThreadFactory("load-generator", true), NioIoHandler.newFactory());
        this.firstConnects = new CountDownLatch(builder.connections);
        for (int i = 0; i < builder.connections; i++) {
            EventLoop loop = group.next();
            Connection connection = new Connection(i, loop, this);
            connections.add(connection);
            byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(connection);
        }
    }

    public static Builder builder(URI base) {
        return new Builder(base);
    }

    /**
     * Carries out one run and waits for it: at most the spec's {@link LoadSpec#bound()} plus a
     * little slack, after which it gives up with a {@link LoadException}.
     *
     * @throws LoadException when the source or listener throws, or the event loops do not finish
     *     in time
     */
    public synchronized LoadResult run(LoadSpec spec, RequestSource source) {
        if (closed) {
            throw new IllegalStateException("load generator for " + uri + " is closed");
        }
        long connectErrorsBefore = connectErrors.sum();
        RunPlan plan = new RunPlan(spec, source, connections.size(), System.nanoTime());
        List<Shard> shards = new ArrayList<>();
        byLoop.forEach((loop, owned) -> shards.add(new Shard(plan, loop, owned)));
        shards.forEach(Shard::start);
        Duration wait = spec.bound().plus(RUN_SLACK);
        Tally total = new Tally();
        try {
            CompletableFuture.allOf(shards.stream().map(s -> s.done).toArray(CompletableFuture[]::new))
                    .get(wait.toNanos(), TimeUnit.NANOSECONDS);
            for (Shard shard : shards) {
                total.add(shard.done.join());
            }
        } catch (TimeoutException e) {
            LoadException failure = new LoadException("run '" + spec.name() + "' against " + uri
                    + " did not end within " + wait.toMillis() + "ms (warmup + duration + timeout + slack); an event loop is blocked");
            shards.forEach(s -> s.abort(failure));
            throw failure;
        } catch (ExecutionException e) {
            shards.forEach(s -> s.abort(e.getCause()));
            throw e.getCause() instanceof LoadException le ? le : new LoadException("run '" + spec.name() + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LoadException failure = new LoadException("run '" + spec.name() + "' against " + uri + " was interrupted");
            shards.forEach(s -> s.abort(failure));
            throw failure;
        }
        return Results.of(plan, total, connectErrors.sum() - connectErrorsBefore);
    }

    public int connections() {
        return connections.size();
    }

    /** Failed attempts to open a connection since the generator was built. */
    public long connectErrors() {
        return connectErrors.sum();
    }

    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed;
    }

    InetSocketAddress address() {
        return address;
    }

    byte[] hostLine() {
        return hostLine;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    /** No wait after the first failure of a connection, then 10 ms doubling up to the maximum. */
    long reconnectDelayNanos(int failures) {
        if (failures <= 0) {
            return 0;
        }
        int shift = Math.min(failures - 1, 20);
        return Math.min(maxBackoffNanos, FIRST_BACKOFF_NANOS << shift);
    }

    void connected(Connection connection) {
        firstConnects.countDown();
    }

    void connectFailed(Connection connection, Throwable cause) {
        connectErrors.increment();
        LOG.debug("connection {} to {} failed to open", connection.id, uri, cause);
    }

    private void connectAll() {
        connections.forEach(c -> c.loop.execute(c::connect));
        try {
            firstConnects.await(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LoadException("interrupted while opening connections to " + uri);
        }
        long open = connections.size() - firstConnects.getCount();
        if (open == 0) {
            close();
            throw new LoadException("none of the " + connections.size() + " connections to " + uri + " opened within "
                    + connectTimeout.toMillis() + "ms (connect errors=" + connectErrors.sum() + ")");
        }
        if (open < connections.size()) {
            LOG.warn("{} of {} connections to {} opened within {}ms; the rest keep trying",
                    open, connections.size(), uri, connectTimeout.toMillis());
        }
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? 80 : uri.getPort();
    }

    public static final class Builder {
        private final URI base;
        private int connections = DEFAULT_CONNECTIONS;
        private int ioThreads = DEFAULT_IO_THREADS;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration maxReconnectBackoff = DEFAULT_MAX_RECONNECT_BACKOFF;

        private Builder(URI base) {
            this.base = base;
        }

        public Builder connections(int value) {
            this.connections = value;
            return this;
        }

        public Builder ioThreads(int value) {
            this.ioThreads = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder maxReconnectBackoff(Duration value) {
            this.maxReconnectBackoff = value;
            return this;
        }

        /**
         * Opens the connections and waits up to the connect timeout for them.
         *
         * @throws LoadException when not one of them opens
         */
        public LoadGenerator build() {
            validate();
            LoadGenerator generator = new LoadGenerator(this);
            generator.connectAll();
            return generator;
        }

        private void validate() {
            if (base == null || !"http".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException("base URI must be http://host[:port], but was " + base);
            }
            if (base.getRawPath() != null && !base.getRawPath().isEmpty() && !"/".equals(base.getRawPath())
                    || base.getRawQuery() != null) {
                throw new IllegalArgumentException("base URI takes no path or query (each Request has its own), but was " + base);
            }
            if (connections < 1 || connections > 10_000) {
                throw new IllegalArgumentException("connections must be between 1 and 10000, but was " + connections);
            }
            if (ioThreads < 1 || ioThreads > 64) {
                throw new IllegalArgumentException("ioThreads must be between 1 and 64, but was " + ioThreads);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                    || connectTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be greater than 0, but was " + connectTimeout);
            }
            if (maxReconnectBackoff == null || maxReconnectBackoff.isNegative() || maxReconnectBackoff.isZero()) {
                throw new IllegalArgumentException("maxReconnectBackoff must be greater than 0, but was " + maxReconnectBackoff);
            }
        }
    }
}

package dev.gridstate.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP server on 127.0.0.1 whose behaviour the path chooses:
 * {@code /ok} answers 200 with "METHOD target body", {@code /status/N} answers N,
 * {@code /close} answers 200 and closes, {@code /drop} closes without answering,
 * {@code /hang} never answers. Counts what it sees, including the most requests in flight.
 */
final class TestServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger maxInFlightPerConnection = new AtomicInteger();
    final ConcurrentHashMap<String, AtomicLong> byPath = new ConcurrentHashMap<>();
    private volatile long delayNanos;
    private volatile long stallAfterNanos = -1;
    private volatile long stallNanos;
    private volatile long firstRequestAt = -1;
    private volatile long stallEndsAt = -1;

    TestServer() {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    /** Every answer waits this long. */
    TestServer delay(Duration delay) {
        this.delayNanos = delay.toNanos();
        return this;
    }

    /** Once, {@code after} the first request, answer nothing for {@code length}. */
    TestServer stallOnce(Duration after, Duration length) {
        this.stallAfterNanos = after.toNanos();
        this.stallNanos = length.toNanos();
        return this;
    }

    long count(String path) {
        AtomicLong count = byPath.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // Runs on the server's single event loop, so the stall bookkeeping needs no locks.
    private long answerDelayNanos(long now) {
        if (firstRequestAt < 0) {
            firstRequestAt = now;
        }
        if (stallAfterNanos >= 0 && stallEndsAt < 0 && now - firstRequestAt >= stallAfterNanos) {
            stallEndsAt = now + stallNanos;
        }
        long untilStallEnds = stallEndsAt > now ? stallEndsAt - now : 0;
        return Math.max(delayNanos, untilStallEnds);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int inFlightHere;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            String path = request.uri().split("\\?")[0];
            byPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            maxInFlightPerConnection.accumulateAndGet(++inFlightHere, Math::max);
            if (path.equals("/hang")) {
                return;
            }
            if (path.equals("/drop")) {
                done();
                ctx.close();
                return;
            }
            HttpResponseStatus status = path.startsWith("/status/")
                    ? HttpResponseStatus.valueOf(Integer.parseInt(path.substring("/status/".length())))
                    : HttpResponseStatus.OK;
            String text = request.method() + " " + request.uri() + " " + request.content().toString(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean close = path.equals("/close");
            if (close) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            Runnable answer = () -> {
                if (!ctx.channel().isActive()) {
                    return;
                }
                done();
                var written = ctx.writeAndFlush(response);
                if (close) {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            };
            long delay = answerDelayNanos(System.nanoTime());
            if (delay > 0) {
                ctx.executor().schedule(answer, delay, TimeUnit.NANOSECONDS);
            } else {
                answer.run();
            }
        }

        private void done() {
            inFlightHere--;
            inFlight.decrementAndGet();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inFlight.addAndGet(-inFlightHere);
            inFlightHere = 0;
        }
    }
}

package dev.gridstate.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection with at most one request in flight. It reopens itself
 * whenever it closes, until the generator is closed. Confined to its event loop.
 */
final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    static final int MAX_BODY_BYTES = 1 << 20;

    private enum State { DOWN, IDLE, BUSY }

    final int id;
    final EventLoop loop;
    private final LoadGenerator generator;
    private final Bootstrap bootstrap;
    private Channel channel;
    private State state = State.DOWN;
    private int failures;
    private boolean answeredSinceConnect;
    private boolean closingOnPurpose;
    private Shard shard;
    /** How many requests this connection has sent in the current run. */
    long nextK;

    private Request request;
    private long intendedNanos;
    private long sentNanos;
    private boolean measured;
    private int status;
    private boolean keepAlive;
    private ByteBuf body;

    Connection(int id, EventLoop loop, LoadGenerator generator) {
        this.id = id;
        this.loop = loop;
        this.generator = generator;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) generator.connectTimeout().toMillis())
                .remoteAddress(generator.address())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Decoder(), new Handler());
                    }
                });
    }

    boolean busy() {
        return state == State.BUSY;
    }

    boolean idle() {
        return state == State.IDLE;
    }

    long sentNanos() {
        return sentNanos;
    }

    void attach(Shard run) {
        shard = run;
        nextK = 0;
    }

    void detach(Shard run) {
        if (shard != run) {
            return;
        }
        shard = null;
        // Only an aborted run leaves a request in flight; its answer must not land in the next run.
        if (state == State.BUSY) {
            clearRequest();
            closeOnPurpose();
        }
    }

    void connect() {
        if (generator.isClosed()) {
            return;
        }
        bootstrap.connect().addListener((ChannelFuture future) -> {
            if (future.isSuccess()) {
                onConnected(future.channel());
            } else {
                generator.connectFailed(this, future.cause());
                failures++;
                reconnect();
            }
        });
    }

    void send(Request next, long intended, long now, boolean inWindow) {
        request = next;
        intendedNanos = intended;
        sentNanos = now;
        measured = inWindow;
        status = 0;
        keepAlive = true;
        state = State.BUSY;
        byte[] host = generator.hostLine();
        byte[] payload = next.body();
        ByteBuf buf = channel.alloc().ioBuffer(next.prefixLength() + host.length + payload.length);
        buf.writeBytes(next.lineAndHeaders()).writeBytes(next.contentLength()).writeBytes(host).writeBytes(payload);
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    void timeOut(long now) {
        if (state != State.BUSY) {
            return;
        }
        long intended = intendedNanos;
        boolean inWindow = measured;
        clearRequest();
        closeOnPurpose();
        if (shard != null) {
            shard.onFailure(true, intended, now, inWindow);
        }
    }

    private void onConnected(Channel opened) {
        if (generator.isClosed()) {
            opened.close();
            return;
        }
        channel = opened;
        state = State.IDLE;
        answeredSinceConnect = false;
        closingOnPurpose = false;
        generator.connected(this);
        if (shard != null) {
            shard.onIdle(this);
        }
    }

    private void onClosed(Channel closed) {
        if (closed != channel) {
            return;
        }
        channel = null;
        if (state == State.BUSY) {
            long intended = intendedNanos;
            boolean inWindow = measured;
            clearRequest();
            state = State.DOWN;
            if (shard != null) {
                shard.onFailure(false, intended, System.nanoTime(), inWindow);
            }
        }
        state = State.DOWN;
        // A server that accepts and then drops us without answering is refused with a growing backoff.
        if (closingOnPurpose || answeredSinceConnect) {
            failures = 0;
        } else {
            failures++;
        }
        reconnect();
    }

    private void reconnect() {
        state = State.DOWN;
        if (generator.isClosed()) {
            return;
        }
        long delay = generator.reconnectDelayNanos(failures);
        if (delay == 0) {
            connect();
        } else {
            loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void closeOnPurpose() {
        state = State.DOWN;
        closingOnPurpose = true;
        if (channel != null) {
            channel.close();
        }
    }

    private void clearRequest() {
        request = null;
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void onHead(HttpResponse response) {
        if (state != State.BUSY || response.decoderResult().isFailure()) {
            dropChannel("an unreadable or unexpected response: " + response.decoderResult());
            return;
        }
        status = response.status().code();
        keepAlive = HttpUtil.isKeepAlive(response);
    }

    private void onContent(HttpContent content) {
        if (state != State.BUSY || status == 0 || content.decoderResult().isFailure()) {
            dropChannel("unreadable or unexpected content: " + content.decoderResult());
            return;
        }
        if (shard != null && shard.wantsBody() && content.content().isReadable()) {
            if (body == null) {
                body = channel.alloc().heapBuffer(content.content().readableBytes());
            }
            if (body.readableBytes() + content.content().readableBytes() > MAX_BODY_BYTES) {
                dropChannel("a body over " + MAX_BODY_BYTES + " bytes");
                return;
            }
            body.writeBytes(content.content());
        }
        if (content instanceof LastHttpContent) {
            complete(System.nanoTime());
        }
    }

    private void complete(long end) {
        Request answered = request;
        String text = null;
        if (shard != null && shard.wantsBody()) {
            text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
        }
        clearRequest();
        answeredSinceConnect = true;
        failures = 0;
        // An answer delimited by the server closing the connection leaves nothing to send on.
        if (keepAlive && channel != null && channel.isActive()) {
            state = State.IDLE;
        } else {
            closeOnPurpose();
        }
        Shard run = shard;
        if (run != null) {
            run.onAnswer(answered, status, text, intendedNanos, sentNanos, end, measured);
            if (state == State.IDLE) {
                run.onIdle(this);
            }
        }
    }

    /** Closes the channel; the request in flight, if any, counts as a transport error. */
    private void dropChannel(String why) {
        LOG.debug("connection {} to {}: closing after {}", id, generator.uri(), why);
        if (channel != null) {
            channel.close();
        }
    }

    /** HEAD answers carry a Content-Length but no body. */
    private final class Decoder extends HttpResponseDecoder {
        Decoder() {
            super(new HttpDecoderConfig());
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            return request != null && request.isHead() || super.isContentAlwaysEmpty(msg);
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ctx.channel() != channel) {
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    onHead(response);
                }
                if (msg instanceof HttpContent content && ctx.channel() == channel) {
                    onContent(content);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClosed(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection {} to {}: closing after an error", id, generator.uri(), cause);
            ctx.close();
        }
    }
}

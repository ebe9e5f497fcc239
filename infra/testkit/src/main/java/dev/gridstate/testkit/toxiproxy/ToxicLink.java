package dev.gridstate.testkit.toxiproxy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its upstream, pumped both ways on virtual threads. Each chunk
 * consults the proxy's current toxics, so toxics added or removed reach live connections.
 * Whether a toxic affects this connection is decided once per toxic instance, with probability
 * its toxicity.
 */
final class ToxicLink {

    private static final Logger log = LoggerFactory.getLogger(ToxicLink.class);
    private static final Duration HOLD_POLL = Duration.ofMillis(5);

    private final ProxyListener proxy;
    private final Socket client;
    private final Socket upstream;
    private final Map<Toxic, Boolean> affected = new ConcurrentHashMap<>();
    private final Map<Toxic, Long> bytesPassed = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    ToxicLink(ProxyListener proxy, Socket client, Socket upstream) {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
    }

    void start() {
        pump(client, upstream, Toxic.Stream.UPSTREAM);
        pump(upstream, client, Toxic.Stream.DOWNSTREAM);
        proxy.toxics().forEach(this::toxicAdded);
    }

    /** Starts the clock of a timeout or reset_peer toxic that affects this connection. */
    void toxicAdded(Toxic toxic) {
        boolean timed = toxic.type() == ToxicType.RESET_PEER
                || (toxic.type() == ToxicType.TIMEOUT && toxic.attribute("timeout") > 0);
        if (!timed || !affects(toxic)) {
            return;
        }
        Thread.ofVirtual().name(proxy.name() + "-" + toxic.name()).start(() -> {
            if (sleep(toxic.millis("timeout")) && proxy.hasToxic(toxic)) {
                close(toxic.type() == ToxicType.RESET_PEER ? receiver(toxic.stream()) : null);
            }
        });
    }

    /** Closes both sockets; {@code resetSide}, when given, with a TCP RST instead of a FIN. */
    void close(Socket resetSide) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (resetSide != null) {
            try {
                resetSide.setSoLinger(true, 0);
            } catch (IOException e) {
                log.debug("proxy '{}': cannot arm a reset, closing normally", proxy.name(), e);
            }
        }
        closeQuietly(client);
        closeQuietly(upstream);
        proxy.forget(this);
    }

    private boolean affects(Toxic toxic) {
        return affected.computeIfAbsent(toxic, t -> ThreadLocalRandom.current().nextDouble() < t.toxicity());
    }

    private List<Toxic> active(Toxic.Stream stream) {
        return proxy.toxics().stream().filter(t -> t.stream() == stream && affects(t)).toList();
    }

    private Socket receiver(Toxic.Stream stream) {
        return stream == Toxic.Stream.DOWNSTREAM ? client : upstream;
    }

    private void pump(Socket from, Socket to, Toxic.Stream stream) {
        Thread.ofVirtual().name(proxy.name() + "-" + stream.wireName()).start(() -> {
            byte[] buffer = new byte[32 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!deliver(buffer, n, stream, out)) {
                        break;
                    }
                }
                for (Toxic toxic : active(stream)) {
                    if (toxic.type() == ToxicType.SLOW_CLOSE) {
                        sleep(toxic.millis("delay"));
                    }
                }
            } catch (IOException e) {
                log.debug("proxy '{}': {} side ended: {}", proxy.name(), stream.wireName(), e.toString());
            } finally {
                close(null);
            }
        });
    }

    /** Writes one chunk through the stream's toxics; false when the connection must close. */
    private boolean deliver(byte[] buffer, int length, Toxic.Stream stream, OutputStream out) throws IOException {
        // A timeout toxic holds data back until it is removed; its clock, if any, closes the link.
        while (active(stream).stream().anyMatch(t -> t.type() == ToxicType.TIMEOUT)) {
            if (closed.get() || !sleep(HOLD_POLL)) {
                return false;
            }
        }
        int allowed = length;
        boolean keepOpen = true;
        Toxic slicer = null;
        for (Toxic toxic : active(stream)) {
            switch (toxic.type()) {
                case LATENCY -> sleep(latency(toxic));
                case BANDWIDTH -> sleep(transmission(toxic, allowed));
                case LIMIT_DATA -> {
                    long limit = toxic.attribute("bytes");
                    long before = bytesPassed.getOrDefault(toxic, 0L);
                    allowed = (int) Math.max(0, Math.min(allowed, limit - before));
                    bytesPassed.put(toxic, before + allowed);
                    keepOpen &= before + allowed < limit;
                }
                case SLICER -> slicer = toxic;
                case TIMEOUT, RESET_PEER, SLOW_CLOSE -> {
                    // Act on a clock or at the close, not per chunk.
                }
            }
        }
        if (slicer != null) {
            writeSliced(buffer, allowed, slicer, out);
        } else if (allowed > 0) {
            out.write(buffer, 0, allowed);
            out.flush();
        }
        return keepOpen;
    }

    /** Slices of average_size ± size_variation bytes, delay microseconds apart. */
    private static void writeSliced(byte[] buffer, int length, Toxic slicer, OutputStream out) throws IOException {
        long average = Math.max(1, slicer.attribute("average_size"));
        long variation = Math.min(slicer.attribute("size_variation"), average - 1);
        Duration delay = Duration.ofNanos(slicer.attribute("delay") * 1_000);
        int offset = 0;
        while (offset < length) {
            long spread = variation > 0 ? ThreadLocalRandom.current().nextLong(-variation, variation + 1) : 0;
            int size = (int) Math.min(length - offset, average + spread);
            out.write(buffer, offset, size);
            out.flush();
            offset += size;
            if (offset < length) {
                sleep(delay);
            }
        }
    }

    private static Duration latency(Toxic toxic) {
        long jitter = toxic.attribute("jitter");
        long spread = jitter > 0 ? ThreadLocalRandom.current().nextLong(-jitter, jitter + 1) : 0;
        return Duration.ofMillis(Math.max(0, toxic.attribute("latency") + spread));
    }

    private static Duration transmission(Toxic toxic, int bytes) {
        long rate = toxic.attribute("rate");
        // Toxiproxy's rate is in KB/s; 0 would never deliver, so it is treated as unlimited.
        return rate <= 0 ? Duration.ZERO : Duration.ofNanos(bytes * 1_000_000L / rate);
    }

    /** False when interrupted. */
    private static boolean sleep(Duration duration) {
        if (duration.isZero()) {
            return true;
        }
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("closing {} failed", closeable, e);
        }
    }
}

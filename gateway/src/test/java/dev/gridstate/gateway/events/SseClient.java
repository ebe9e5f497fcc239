package dev.gridstate.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real SSE reader for tests: one HTTP/1.1 connection whose body a background thread reads
 * through an {@link InputStream}, frame by frame, only while the test lets it. A paused reader
 * reads nothing from the socket, so the gateway's writes back up as they would for a slow client.
 */
final class SseClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Frame END = new Frame(null, null, null, null);

    /** One SSE event or comment as it came over the wire. */
    record Frame(String id, String event, String data, String comment) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }

        String nodeId() {
            return data == null ? null : json().path("nodeId").asText(null);
        }
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Semaphore allowance = new Semaphore(0);
    private final Thread reader;
    private volatile Throwable readFailure;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofPlatform().daemon().name("sse-client").start(this::readFrames);
    }

    /** Opens the stream, reading freely; fails unless the answer is 200. */
    static SseClient open(URI uri) {
        return open(HttpRequest.newBuilder(uri));
    }

    /** Opens the stream with the request given (extra headers), reading freely. */
    static SseClient open(HttpRequest.Builder request) {
        URI uri = request.build().uri();
        try {
            HttpResponse<InputStream> response = CLIENT.send(request.timeout(Duration.ofSeconds(5))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": " + body);
            }
            SseClient client = new SseClient(response);
            client.resume();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the comment the gateway sends first: from then on, the subscription is live. */
    SseClient awaitLive() {
        Frame first = next(Duration.ofSeconds(5));
        if (first.comment() == null || !first.comment().startsWith("node events of region")) {
            throw new AssertionError("the stream did not start with its greeting but with " + first);
        }
        return this;
    }

    /** Stops reading from the socket after the frame being read, if any. */
    void pause() {
        allowance.drainPermits();
    }

    void resume() {
        allowance.release(Integer.MAX_VALUE / 2);
    }

    /** The next frame, failing after {@code timeout}. */
    Frame next(Duration timeout) {
        try {
            Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no SSE frame within " + timeout);
            }
            if (frame == END) {
                frames.add(END);
                throw new AssertionError("the stream ended", readFailure);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every frame up to and including the first that {@code last} accepts, failing after {@code timeout}. */
    List<Frame> until(Predicate<Frame> last, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Frame> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the awaited frame did not come within " + timeout + "; " + seen.size()
                        + " came, the last: " + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
            }
            Frame frame = next(Duration.ofNanos(left));
            seen.add(frame);
            if (last.test(frame)) {
                return seen;
            }
        }
    }

    /** Whether the gateway ended the stream (the reader saw its end or the connection fail). */
    boolean ended() {
        return frames.contains(END);
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readFrames() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 256)) {
            String id = null;
            String event = null;
            String comment = null;
            StringBuilder data = null;
            while (true) {
                allowance.acquire();
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                if (line.isEmpty()) {
                    if (id != null || event != null || data != null || comment != null) {
                        frames.add(new Frame(id, event, data == null ? null : data.toString(), comment));
                    }
                    id = null;
                    event = null;
                    comment = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (IOException e) {
            readFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            frames.add(END);
        }
    }
}

package dev.gridstate.testkit.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gridstate.testkit.RedisServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToxiproxyServerIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private static RedisServer redis;
    private static ToxiproxyServer server;
    private static ToxiproxyClient client;

    @BeforeAll
    static void start() {
        redis = RedisServer.startRegional();
        server = ToxiproxyServer.start(0);
        client = new ToxiproxyClient("127.0.0.1", server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        redis.close();
    }

    @AfterEach
    void removeProxies() throws IOException {
        for (Proxy proxy : client.getProxies()) {
            proxy.delete();
        }
    }

    @Test
    @DisplayName("the version is answered as plain text")
    void shouldAnswerVersion() throws IOException {
        assertThat(client.version()).isEqualTo("2.5.0-gridstate");
    }

    @Test
    @DisplayName("a created proxy forwards a PING to Redis and is listed with its addresses")
    void shouldForwardPingWhenProxyIsCreated() throws IOException {
        Proxy proxy = createRedisProxy("redis");

        assertThat(pingThrough(proxy)).isEqualTo("+PONG");
        Proxy read = client.getProxy("redis");
        assertThat(read.getListen()).isEqualTo(proxy.getListen()).startsWith("127.0.0.1:").doesNotEndWith(":0");
        assertThat(read.getUpstream()).isEqualTo(redisAddress());
        assertThat(read.isEnabled()).isTrue();
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("redis");
    }

    @Test
    @DisplayName("a disabled proxy closes its connections and refuses new ones until enabled again")
    void shouldRefuseConnectionsWhileDisabled() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        try (RespSocket live = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            assertThat(live.ping()).isEqualTo("+PONG");

            proxy.disable();

            assertThat(live.readLine()).isNull();
        }
        assertThat(client.getProxy("redis").isEnabled()).isFalse();
        assertThatThrownBy(() -> RespSocket.open(port(proxy), READ_TIMEOUT)).isInstanceOf(ConnectException.class);

        proxy.enable();

        assertThat(pingThrough(proxy)).isEqualTo("+PONG");
    }

    @Test
    @DisplayName("a deleted proxy frees its port and is then unknown")
    void shouldFreePortWhenProxyIsDeleted() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        int port = port(proxy);

        proxy.delete();

        try (ServerSocket rebound = new ServerSocket()) {
            rebound.setReuseAddress(true);
            rebound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(rebound.getLocalPort()).isEqualTo(port);
        }
        assertThat(client.getProxyOrNull("redis")).isNull();
    }

    @Test
    @DisplayName("a missing proxy is a 404 and a duplicate name a 409, both with a JSON error")
    void shouldAnswerJsonErrorsForMissingAndDuplicateNames() throws Exception {
        createRedisProxy("redis");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/proxies/nope"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> duplicate = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/proxies"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"redis\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + redisAddress() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\":\"proxy 'nope' not found\"");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("\"error\":\"proxy 'redis' already exists\"");
        assertThatThrownBy(() -> client.createProxy("redis", "127.0.0.1:0", redisAddress()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    @DisplayName("50 ms of downstream latency adds at least 45 ms to the median PING round trip")
    void shouldDelayPingWhenLatencyToxicIsAdded() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 50);

        long direct = medianPingMillis(redis.port());
        long proxied = medianPingMillis(port(proxy));

        assertThat(proxied - direct).isGreaterThanOrEqualTo(45);
        assertThat(proxy.toxics().getAll()).extracting(t -> t.getName()).containsExactly("slow");
    }

    @Test
    @DisplayName("a toxic removed from a live connection stops affecting it")
    void shouldStopDelayingLiveConnectionWhenToxicIsRemoved() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        try (RespSocket live = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            assertThat(live.ping()).isEqualTo("+PONG");
            proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 300);
            assertThat(timedPingMillis(live)).isGreaterThanOrEqualTo(290);

            proxy.toxics().get("slow").remove();

            assertThat(timedPingMillis(live)).isLessThan(200);
        }
    }

    @Test
    @DisplayName("an upstream latency toxic delays requests, and an update of its attributes reaches a live connection")
    void shouldApplyUpdatedLatencyWhenUpstreamToxicIsUpdated() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        Latency latency = proxy.toxics().latency("slow-requests", ToxicDirection.UPSTREAM, 300);
        try (RespSocket live = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            assertThat(timedPingMillis(live)).isGreaterThanOrEqualTo(290);

            latency.setLatency(0);

            assertThat(timedPingMillis(live)).isLessThan(200);
        }
        assertThat(proxy.toxics().get("slow-requests", Latency.class).getLatency()).isZero();
    }

    @Test
    @DisplayName("a toxic with toxicity 0 leaves connections unaffected")
    void shouldNotDelayWhenToxicityIsZero() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().latency("never", ToxicDirection.DOWNSTREAM, 1_000).setToxicity(0f);

        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            assertThat(timedPingMillis(socket)).isLessThan(500);
        }
        assertThat(proxy.toxics().get("never").getToxicity()).isZero();
    }

    @Test
    @DisplayName("a timeout toxic holds back the answer, then closes the connection")
    void shouldHoldDataThenCloseWhenTimeoutToxicIsAdded() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().timeout("cut", ToxicDirection.DOWNSTREAM, 1_000);

        try (RespSocket socket = RespSocket.open(port(proxy), Duration.ofMillis(300))) {
            socket.sendPing();
            assertThatThrownBy(socket::readLine).isInstanceOf(SocketTimeoutException.class);

            await().atMost(Duration.ofSeconds(3)).ignoreExceptionsInstanceOf(SocketTimeoutException.class)
                    .until(() -> socket.readLine() == null);
        }
    }

    @Test
    @DisplayName("a timeout toxic of 0 holds the answer back until it is removed")
    void shouldDeliverHeldAnswerWhenEndlessTimeoutToxicIsRemoved() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        Timeout timeout = proxy.toxics().timeout("hold", ToxicDirection.DOWNSTREAM, 0);

        try (RespSocket socket = RespSocket.open(port(proxy), Duration.ofMillis(300))) {
            socket.sendPing();
            assertThatThrownBy(socket::readLine).isInstanceOf(SocketTimeoutException.class);

            timeout.remove();

            assertThat(socket.readLine()).isEqualTo("+PONG");
        }
    }

    @Test
    @DisplayName("a reset_peer toxic makes the client see a connection reset")
    void shouldResetConnectionWhenResetPeerToxicIsAdded() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 200);

        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            long giveUp = System.nanoTime() + Duration.ofSeconds(3).toNanos();

            assertThatThrownBy(() -> {
                while (System.nanoTime() < giveUp) {
                    socket.ping();
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    @DisplayName("a limit_data toxic closes the connection once that many bytes passed")
    void shouldCloseAfterLimitWhenLimitDataToxicIsAdded() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 10);

        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            socket.sendPing();
            socket.sendPing();
            socket.sendPing();

            assertThat(new String(socket.readToEnd())).isEqualTo("+PONG\r\n+PO");
        }
    }

    @Test
    @DisplayName("a bandwidth toxic of 10 KB/s makes a 2000-byte answer take at least 150 ms")
    void shouldThrottleWhenBandwidthToxicIsAdded() throws IOException {
        redis.commands().set("big", "x".repeat(2_000));
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 10);

        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            long start = System.nanoTime();
            socket.send("GET big\r\n");
            assertThat(socket.readLine()).isEqualTo("$2000");
            assertThat(socket.readLine()).hasSize(2_000);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    @DisplayName("a slow_close toxic delays the close Redis sends after QUIT")
    void shouldDelayCloseWhenSlowCloseToxicIsAdded() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().slowClose("lingering", ToxicDirection.DOWNSTREAM, 500);

        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            socket.send("QUIT\r\n");
            assertThat(socket.readLine()).isEqualTo("+OK");
            long start = System.nanoTime();

            assertThat(socket.readLine()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    @DisplayName("a slicer toxic of 1-byte slices 10 ms apart spreads a PONG over at least 50 ms")
    void shouldSliceAnswerWhenSlicerToxicIsAdded() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().slicer("crumbs", ToxicDirection.DOWNSTREAM, 1, 10_000);

        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            assertThat(timedPingMillis(socket)).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    @DisplayName("reset enables every proxy and removes every toxic")
    void shouldEnableAndCleanProxiesWhenReset() throws IOException {
        Proxy proxy = createRedisProxy("redis");
        proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1_000);
        proxy.disable();

        client.reset();

        assertThat(proxy.isEnabled()).isTrue();
        assertThat(proxy.toxics().getAll()).isEmpty();
        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            assertThat(timedPingMillis(socket)).isLessThan(500);
        }
    }

    private static Proxy createRedisProxy(String name) throws IOException {
        return client.createProxy(name, "127.0.0.1:0", redisAddress());
    }

    private static String redisAddress() {
        return "127.0.0.1:" + redis.port();
    }

    private static int port(Proxy proxy) {
        String listen = proxy.getListen();
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    private static String pingThrough(Proxy proxy) throws IOException {
        try (RespSocket socket = RespSocket.open(port(proxy), READ_TIMEOUT)) {
            return socket.ping();
        }
    }

    private static long timedPingMillis(RespSocket socket) throws IOException {
        long start = System.nanoTime();
        assertThat(socket.ping()).isEqualTo("+PONG");
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static long medianPingMillis(int port) throws IOException {
        List<Long> rounds = new ArrayList<>();
        try (RespSocket socket = RespSocket.open(port, READ_TIMEOUT)) {
            for (int i = 0; i < 11; i++) {
                rounds.add(timedPingMillis(socket));
            }
        }
        return rounds.stream().sorted().toList().get(rounds.size() / 2);
    }
}

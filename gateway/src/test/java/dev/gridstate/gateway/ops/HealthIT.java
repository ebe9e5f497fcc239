package dev.gridstate.gateway.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import dev.gridstate.testkit.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Liveness and readiness as an orchestrator probes them: ready while state calls have a Redis to
 * go to, whatever the broker does; alive whatever the Redis servers and the broker do.
 */
class HealthIT {

    private static final Duration CHANGE = Duration.ofSeconds(15);

    private final RedisServer regional = RedisServer.startRegional();
    private final RedisServer central = RedisServer.startCentral();
    private final TcpProxy broker = TcpProxy.to(URI.create(RabbitBroker.shared().uri()).getPort());
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        broker.close();
        regional.close();
        central.close();
    }

    @Test
    @DisplayName("not ready while both Redis servers are down, ready again when one is back; alive throughout")
    void shouldLeaveReadinessOnlyWhileNoRedisAnswers() {
        gateway = start();
        Http http = gateway.http();
        assertThat(http.get("/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/health/liveness").status()).isEqualTo(200);

        regional.kill();
        await("still ready, serving from central").atMost(CHANGE)
                .until(() -> serving(http.get("/health/readiness")).equals("central"));
        assertThat(http.get("/health/readiness").status()).isEqualTo(200);

        central.kill();
        await("not ready with both down").atMost(CHANGE).until(() -> http.get("/health/readiness").status() == 503);
        Http.Answer down = http.get("/health/readiness");
        assertThat(down.json().path("status").asText()).as(down.body()).isEqualTo("DOWN");
        assertThat(http.get("/health/liveness").status()).as("a restart would not bring Redis back").isEqualTo(200);

        regional.restart();
        await("ready again with the regional Redis back").atMost(CHANGE)
                .until(() -> http.get("/health/readiness").status() == 200);
    }

    @Test
    @DisplayName("a broker cut shows in the health details and leaves the gateway ready: it still serves")
    void shouldStayReadyWithoutTheBroker() {
        gateway = start();
        Http http = gateway.http();
        // the change log connects with its first change
        assertThat(http.put("/v1/nodes/h0", Nodes.spec(20_000)).status()).isEqualTo(201);
        await("the change log connected").atMost(CHANGE)
                .until(() -> changeLog(http.get("/health")).equals("UP"));

        broker.cut();

        await("the cut in the details").atMost(CHANGE).until(() -> changeLog(http.get("/health")).equals("DOWN"));
        Http.Answer health = http.get("/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(http.get("/health/readiness").status()).isEqualTo(200);
        assertThat(http.put("/v1/nodes/h1", Nodes.spec(20_000)).status()).isEqualTo(201);

        broker.restore();
        await("reconnected").atMost(CHANGE).until(() -> changeLog(http.get("/health")).equals("UP"));
    }

    private TestGateway start() {
        URI real = URI.create(RabbitBroker.shared().uri());
        String viaProxy = real.getScheme() + "://" + real.getRawUserInfo() + "@127.0.0.1:" + broker.port() + real.getRawPath();
        return TestGateway.start("health-test", regional, central, Map.of("rabbitmq.uri", viaProxy));
    }

    private static String serving(Http.Answer health) {
        return health.json().path("details").path("redis").path("details").path("serving").asText();
    }

    private static String changeLog(Http.Answer health) {
        JsonNode broker = health.json().path("details").path("rabbitmq").path("details");
        return broker.path("changeLog").path("status").asText();
    }
}

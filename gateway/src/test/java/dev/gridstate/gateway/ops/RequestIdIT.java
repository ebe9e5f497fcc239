package dev.gridstate.gateway.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every answer names its request id, and the log lines the request causes carry the same one. */
class RequestIdIT {

    private final RedisServer regional = RedisServer.startRegional();
    private final RedisServer central = RedisServer.startCentral();
    private final TestGateway gateway = TestGateway.start("request-id-test", regional, central, Map.of());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    RequestIdIT() {
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void stop() {
        root.detachAppender(lines);
        gateway.close();
        regional.close();
        central.close();
    }

    @Test
    @DisplayName("the caller's X-Request-Id is kept, answered and logged; a missing or unsafe one is replaced")
    void shouldFollowTheRequestIdIntoAnswerAndLog() {
        Http http = gateway.http();
        Http.Answer refused = http.send(http.request("/v1/admin/nodes").header("Authorization", "Bearer wrong")
                .header("X-Request-Id", "lb-7f3a.42").GET());

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().headers().firstValue("X-Request-Id")).hasValue("lb-7f3a.42");
        assertThat(requestIdsOfLinesContaining("wrong admin token")).containsExactly("lb-7f3a.42");

        Http.Answer fresh = http.get("/v1/nodes/nobody");
        assertThat(fresh.raw().headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
        Http.Answer forged = http.send(http.request("/v1/nodes/nobody").header("X-Request-Id", "a b\" fake").GET());
        assertThat(forged.raw().headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    }

    @Test
    @DisplayName("a line logged after the request's asynchronous Redis call still carries its id")
    void shouldCarryTheIdAcrossAsyncHops() {
        regional.kill();
        central.kill();
        Http http = gateway.http();

        await("a 503 once neither Redis answers").atMost(Duration.ofSeconds(15)).until(() -> http.send(
                http.request("/v1/nodes/n1").header("X-Request-Id", "async-hop-1").GET()).status() == 503);

        assertThat(requestIdsOfLinesContaining("state store unavailable")).contains("async-hop-1");
    }

    private List<String> requestIdsOfLinesContaining(String text) {
        return lines.list.stream().filter(e -> e.getFormattedMessage().contains(text))
                .map(e -> e.getMDCPropertyMap().get(RequestIdFilter.MDC_KEY)).toList();
    }
}

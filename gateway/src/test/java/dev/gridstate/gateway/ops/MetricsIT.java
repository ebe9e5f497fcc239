package dev.gridstate.gateway.ops;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The series an operator's dashboards and alerts are built on, as Prometheus scrapes them. */
class MetricsIT {

    private static final String REGION = "metrics-test";

    private final RedisServer regional = RedisServer.startRegional();
    private final RedisServer central = RedisServer.startCentral();
    private final TestGateway gateway = TestGateway.start(REGION, regional, central, Map.of());

    @AfterEach
    void stop() {
        gateway.close();
        regional.close();
        central.close();
    }

    @Test
    @DisplayName("per-route latency histograms, Redis latency per target, breakers, answers by source, jobs, lag and the cache, all tagged with the region")
    void shouldExposeTheOperatorsSeries() {
        Http http = gateway.http();
        assertThat(http.put("/v1/nodes/m1", Nodes.spec(20_000)).status()).isEqualTo(201);
        assertThat(http.post("/v1/nodes/m1/heartbeat", "{\"state\":\"idle\"}").status()).isEqualTo(200);

        String region = "region=\"" + REGION + "\"";
        await("the sampled gauges filled").atMost(Duration.ofSeconds(15)).until(() -> {
            String scraped = scrape(http);
            return scraped.contains("gateway_replication_central_behind_seconds{" + region + "} ")
                    && scraped.contains("gateway_nodes{" + region + ",state=\"idle\"} 1.0");
        });
        String metrics = scrape(http);

        assertThat(metrics).contains("http_server_requests_seconds_bucket{")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/v1/nodes/\\{nodeId}/heartbeat\"");
        assertThat(metrics).containsPattern("gateway_redis_calls_seconds_bucket\\{[^}]*outcome=\"ok\"[^}]*target=\"regional\"");
        assertThat(metrics).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"regional\"[^}]*state=\"closed\"[^}]*} 1\\.0");
        assertThat(metrics).containsPattern("gateway_store_calls_total\\{[^}]*source=\"central\"");
        assertThat(metrics).containsPattern("gateway_jobs_held\\{phase=\"waiting\"," + region + "}");
        assertThat(metrics).contains("gateway_nodes_by_model{model=\"llama-3-8b\"," + region + ",state=\"idle\"} 1.0");
        assertThat(metrics).containsPattern("gateway_nodes_census_age_seconds\\{" + region + "} \\d");
        assertThat(metrics).containsPattern("cache_hit_ratio\\{[^}]*" + region);
        assertThat(metrics.lines().filter(l -> l.startsWith("gateway_") || l.startsWith("http_server_requests"))
                .filter(l -> !l.contains(region))).as("series without the region tag").isEmpty();
    }

    private static String scrape(Http http) {
        Http.Answer answer = http.send(http.request("/prometheus").header("Accept", "text/plain").GET());
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }
}

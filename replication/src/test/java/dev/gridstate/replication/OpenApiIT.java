package dev.gridstate.replication;

import dev.gridstate.state.ChangeTopology;
import dev.gridstate.testkit.RedisServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.management.endpoint.EndpointsFilter;
import io.micronaut.web.router.Router;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replicator's OpenAPI document against the replicator itself, as the gateway's OpenApiIT does
 * for the gateway: the routes of its Router, and a UI that loads nothing from elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {

    private static final String REGION = "eu-west";
    private static final String DOCUMENT = "/swagger/replicator.yml";
    private static final Pattern QUERY_VARIABLES = Pattern.compile("\\{[?&][^}]*}");
    private static final Pattern ASSET = Pattern.compile("[\"'](/[^\"'\\s]+\\.(?:js|css|png))[\"']");
    private static final Pattern ELSEWHERE = Pattern.compile("(?i)(https?:)?//[a-z0-9-]+(\\.[a-z0-9-]+)+");

    private RedisServer central;
    private ChangeTopology topology;
    private TestReplicator replicator;
    private SwaggerParseResult parsed;

    @BeforeAll
    void start() {
        central = RedisServer.startCentral();
        topology = TestBroker.uniqueTopology(REGION);
        replicator = TestReplicator.start(topology, central, List.of(REGION));
        TestReplicator.Answer answer = replicator.get(DOCUMENT);
        assertThat(answer.status()).as("GET " + DOCUMENT).isEqualTo(200);
        parsed = new OpenAPIV3Parser().readContents(answer.body());
    }

    @AfterAll
    void stop() {
        replicator.close();
        central.close();
        TestBroker.deleteAll(List.of(topology), REGION);
    }

    @Test
    @DisplayName("the served document is valid OpenAPI 3 and names and summarizes every operation")
    void shouldServeAValidDocument() {
        OpenAPI document = parsed.getOpenAPI();

        List<String> unsummarized = document.getPaths().entrySet().stream()
                .flatMap(path -> path.getValue().readOperationsMap().entrySet().stream()
                        .filter(op -> op.getValue().getSummary() == null || op.getValue().getOperationId() == null)
                        .map(op -> op.getKey() + " " + path.getKey()))
                .toList();

        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        assertThat(unsummarized).as("operations without a summary or an operationId").isEmpty();
    }

    @Test
    @DisplayName("every route the replicator serves is documented, and every documented operation is served")
    void shouldDocumentExactlyTheServedRoutes() {
        Set<String> served = served(replicator.context());

        Set<String> documented = new TreeSet<>();
        parsed.getOpenAPI().getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> documented.add(method + " " + path)));

        assertThat(documented).containsExactlyElementsOf(served);
    }

    @Test
    @DisplayName("the UI page and every script, style and icon it loads come from the replicator itself")
    void shouldServeTheUiFromTheReplicator() {
        TestReplicator.Answer page = replicator.get("/swagger-ui");

        Set<String> assets = new TreeSet<>();
        Matcher asset = ASSET.matcher(page.body());
        while (asset.find()) {
            assets.add(asset.group(1));
        }

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContainPattern(ELSEWHERE).contains(DOCUMENT);
        assertThat(assets).anyMatch(path -> path.endsWith("swagger-ui-bundle.js"));
        for (String path : assets) {
            TestReplicator.Answer served = replicator.get(path);
            assertThat(served.status()).as("GET " + path).isEqualTo(200);
            assertThat(served.body()).as("GET " + path).isNotEmpty();
        }
    }

    /**
     * The Router's routes as "METHOD path", without the HEAD twins of GETs and the sensitive
     * management endpoints that Micronaut's EndpointsFilter refuses to every caller.
     */
    private static Set<String> served(ApplicationContext context) {
        Map<ExecutableMethod, Boolean> sensitive = context.findBean(EndpointsFilter.class).isPresent()
                ? context.getBean(EndpointSensitivityProcessor.class).getEndpointMethods()
                : Map.of();
        Set<String> routes = new TreeSet<>();
        context.getBean(Router.class).uriRoutes()
                .filter(route -> route.getHttpMethod() != HttpMethod.HEAD)
                .filter(route -> !sensitive.getOrDefault(route.getTargetMethod().getExecutableMethod(), false))
                .forEach(route -> routes.add(route.getHttpMethodName() + " "
                        + QUERY_VARIABLES.matcher(route.getUriMatchTemplate().toString()).replaceAll("")));
        return routes;
    }
}

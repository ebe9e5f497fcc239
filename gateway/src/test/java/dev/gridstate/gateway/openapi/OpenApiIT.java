package dev.gridstate.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridstate.gateway.Application;
import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.TestRegion;
import dev.gridstate.gateway.openapi.ServedRoutes.Route;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document a real gateway serves, held against the gateway itself: its routes as the
 * Router has them, its admin filter, its error shape, and the UI that must work on a closed network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {

    private static final String DOCUMENT = "/swagger/gateway.yml";
    private static final String UI = "/swagger-ui";
    private static final String API_ERROR = "#/components/schemas/ApiError";
    private static final String RESPONSES = "#/components/responses/";
    /** What the UI page loads: quoted absolute paths of scripts, styles and icons. */
    private static final Pattern ASSET = Pattern.compile("[\"'](/[^\"'\\s]+\\.(?:js|css|png))[\"']");
    /** An absolute or protocol-relative URL naming a host: something a closed network cannot fetch. */
    private static final Pattern ELSEWHERE = Pattern.compile("(?i)(https?:)?//[a-z0-9-]+(\\.[a-z0-9-]+)+");

    private TestRegion region;
    private Http http;
    private String yaml;
    private SwaggerParseResult parsed;
    private OpenAPI document;

    @BeforeAll
    void start() {
        region = TestRegion.start(1, Map.of());
        http = region.http();
        Http.Answer answer = http.get(DOCUMENT);
        assertThat(answer.status()).as("GET " + DOCUMENT).isEqualTo(200);
        yaml = answer.body();
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
        document = parsed.getOpenAPI();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("the served document is valid OpenAPI 3 and every $ref in it points at something it holds")
    void shouldServeAValidDocument() throws IOException {
        JsonNode tree = Yaml.mapper().readTree(yaml);

        List<String> dangling = new ArrayList<>();
        refs(tree, dangling, tree);

        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        assertThat(document).isNotNull();
        assertThat(document.getOpenapi()).startsWith("3.");
        assertThat(dangling).as("$refs that point at nothing").isEmpty();
    }

    @Test
    @DisplayName("every route the gateway serves is documented, and every documented operation is served")
    void shouldDocumentExactlyTheServedRoutes() {
        Set<Route> served = ServedRoutes.of(region.gateway(0).context());

        Set<Route> documented = operations().keySet();

        assertThat(without(served, documented)).as("routes the gateway serves that the document leaves out").isEmpty();
        assertThat(without(documented, served)).as("operations the document lists that the gateway does not serve")
                .isEmpty();
    }

    @Test
    @DisplayName("every operation under /v1/admin requires the admin token and documents the 401 without it")
    void shouldRequireTheAdminTokenUnderAdmin() {
        Map<Route, Operation> admin = new TreeMap<>(operations());
        admin.keySet().removeIf(route -> !route.path().startsWith("/v1/admin/"));

        List<String> unguarded = admin.entrySet().stream()
                .filter(e -> !requires(e.getValue(), Application.ADMIN_AUTH)
                        || !e.getValue().getResponses().containsKey("401"))
                .map(e -> e.getKey().toString()).toList();

        assertThat(admin).as("admin operations").isNotEmpty();
        assertThat(unguarded).as("admin operations without the admin requirement or its 401").isEmpty();
    }

    @Test
    @DisplayName("every security requirement names a scheme the document declares")
    void shouldDeclareEverySchemeItRequires() {
        Set<String> declared = document.getComponents().getSecuritySchemes().keySet();

        Set<String> required = new TreeSet<>();
        operations().values().forEach(op -> requirements(op).forEach(r -> required.addAll(r.keySet())));

        assertThat(declared).contains(Application.ADMIN_AUTH, Application.NODE_AUTH);
        assertThat(required).contains(Application.ADMIN_AUTH, Application.NODE_AUTH);
        assertThat(declared).containsAll(required);
    }

    @Test
    @DisplayName("every operation that takes input or a token documents a 4xx answer with the ApiError body")
    void shouldDocumentRefusalsAsApiErrors() {
        List<String> silent = operations().entrySet().stream()
                .filter(e -> takesInput(e.getValue()) && !refusesWithApiError(e.getValue()))
                .map(e -> e.getKey().toString()).toList();

        assertThat(silent).as("operations that can refuse input but document no ApiError 4xx").isEmpty();
    }

    @Test
    @DisplayName("every operation has a summary and an operationId of its own")
    void shouldNameAndSummarizeEveryOperation() {
        List<String> ids = operations().values().stream().map(Operation::getOperationId).toList();

        List<String> unsummarized = operations().entrySet().stream()
                .filter(e -> e.getValue().getSummary() == null || e.getValue().getSummary().isBlank())
                .map(e -> e.getKey().toString()).toList();

        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(unsummarized).as("operations without a summary").isEmpty();
    }

    @Test
    @DisplayName("the UI page and every script, style and icon it loads come from the gateway itself")
    void shouldServeTheUiFromTheGateway() {
        Http.Answer page = http.get(UI);

        List<String> assets = new ArrayList<>();
        Matcher asset = ASSET.matcher(page.body());
        while (asset.find()) {
            assets.add(asset.group(1));
        }

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).as("the page loads nothing from another host").doesNotContainPattern(ELSEWHERE);
        assertThat(page.body()).contains(DOCUMENT);
        assertThat(assets).anyMatch(path -> path.endsWith("swagger-ui-bundle.js"))
                .anyMatch(path -> path.endsWith(".css"));
        for (String path : assets) {
            Http.Answer served = http.get(path);
            assertThat(served.status()).as("GET " + path).isEqualTo(200);
            assertThat(served.body()).as("GET " + path).isNotEmpty();
        }
    }

    private Map<Route, Operation> operations() {
        Map<Route, Operation> operations = new TreeMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
                operations.put(new Route(method.name(), path), op)));
        return operations;
    }

    private List<SecurityRequirement> requirements(Operation op) {
        if (op.getSecurity() != null) {
            return op.getSecurity();
        }
        return document.getSecurity() == null ? List.of() : document.getSecurity();
    }

    private boolean requires(Operation op, String scheme) {
        return requirements(op).stream().anyMatch(r -> r.containsKey(scheme));
    }

    private boolean takesInput(Operation op) {
        return (op.getParameters() != null && !op.getParameters().isEmpty()) || op.getRequestBody() != null
                || !requirements(op).isEmpty();
    }

    private boolean refusesWithApiError(Operation op) {
        return op.getResponses().entrySet().stream()
                .filter(e -> e.getKey().startsWith("4"))
                .map(e -> resolve(e.getValue()))
                .anyMatch(response -> mentionsApiError(response.getContent()));
    }

    private ApiResponse resolve(ApiResponse response) {
        String ref = response.get$ref();
        if (ref == null) {
            return response;
        }
        assertThat(ref).startsWith(RESPONSES);
        return document.getComponents().getResponses().get(ref.substring(RESPONSES.length()));
    }

    private static boolean mentionsApiError(Content content) {
        return content != null && content.values().stream()
                .anyMatch(media -> media.getSchema() != null && API_ERROR.equals(media.getSchema().get$ref()));
    }

    private static Set<Route> without(Set<Route> these, Set<Route> those) {
        Set<Route> left = new TreeSet<>(these);
        left.removeAll(those);
        return left;
    }

    /** Collects every local {@code $ref} under {@code node} that does not resolve in {@code root}. */
    private static void refs(JsonNode node, List<String> dangling, JsonNode root) {
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            String target = ref.asText();
            if (!target.startsWith("#/") || root.at(target.substring(1)).isMissingNode()) {
                dangling.add(target);
            }
        }
        node.elements().forEachRemaining(child -> refs(child, dangling, root));
    }
}

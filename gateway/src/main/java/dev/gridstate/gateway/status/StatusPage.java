package dev.gridstate.gateway.status;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /status}: the status page, with its stylesheet and script, all served by the gateway
 * (no CDN). Public: it holds no data. It asks for the admin token and reads
 * {@code /v1/admin/status/stream} with it; the policy below lets it talk to this origin only.
 */
@Controller("/status")
@Tag(name = "management")
class StatusPage {

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final byte[] html = read("index.html");
    private final byte[] css = read("status.css");
    private final byte[] js = read("status.js");

    @Get(produces = MediaType.TEXT_HTML)
    @Operation(operationId = "statusPage", summary = "The status page (HTML); it asks for the admin token and reads "
            + "/v1/admin/status/stream")
    @ApiResponse(responseCode = "200", description = "the page",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    HttpResponse<byte[]> page() {
        return serve(html, MediaType.TEXT_HTML + ";charset=utf-8");
    }

    @Get(value = "/status.css", produces = "text/css")
    @Operation(operationId = "statusPageStylesheet", summary = "The status page's stylesheet")
    @ApiResponse(responseCode = "200", description = "the stylesheet",
            content = @Content(mediaType = "text/css", schema = @Schema(type = "string")))
    HttpResponse<byte[]> stylesheet() {
        return serve(css, "text/css;charset=utf-8");
    }

    @Get(value = "/status.js", produces = "text/javascript")
    @Operation(operationId = "statusPageScript", summary = "The status page's script")
    @ApiResponse(responseCode = "200", description = "the script",
            content = @Content(mediaType = "text/javascript", schema = @Schema(type = "string")))
    HttpResponse<byte[]> script() {
        return serve(js, "text/javascript;charset=utf-8");
    }

    private static HttpResponse<byte[]> serve(byte[] body, String type) {
        return HttpResponse.ok(body)
                .contentType(type)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(String name) {
        String path = "status/" + name;
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the status page's " + path + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page's " + path, e);
        }
    }
}

package dev.gridstate.gateway.auth;

import dev.gridstate.gateway.Application;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code GET /v1/admin/whoami}: lets an operator check an admin token; the filter answers 401 for a wrong one. */
@Controller("/v1/admin")
@Tag(name = "admin")
@SecurityRequirement(name = Application.ADMIN_AUTH)
@ApiResponse(responseCode = "401", ref = "#/components/responses/AdminUnauthorized")
class WhoamiController {

    @Serdeable
    @Schema(name = "Whoami")
    record Whoami(boolean admin) {
    }

    @Get("/whoami")
    @Operation(operationId = "whoami", summary = "Check an admin token")
    @ApiResponse(responseCode = "200", description = "the token is the admin token",
            content = @Content(schema = @Schema(implementation = Whoami.class)))
    Whoami whoami() {
        return new Whoami(true);
    }
}

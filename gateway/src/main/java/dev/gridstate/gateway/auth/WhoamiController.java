package dev.gridstate.gateway.auth;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/** {@code GET /v1/admin/whoami}: lets an operator check an admin token; the filter answers 401 for a wrong one. */
@Controller("/v1/admin")
class WhoamiController {

    @Serdeable
    record Whoami(boolean admin) {
    }

    @Get("/whoami")
    Whoami whoami() {
        return new Whoami(true);
    }
}

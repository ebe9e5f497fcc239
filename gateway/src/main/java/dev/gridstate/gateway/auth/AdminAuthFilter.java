package dev.gridstate.gateway.auth;

import dev.gridstate.gateway.api.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request under {@code /v1/admin} through only with {@code Authorization: Bearer <gateway.admin.token>}.
 * It runs before routing, so a path that does not exist is refused exactly like one that does:
 * without the token nothing tells what the admin API holds.
 */
@ServerFilter(AdminAuthFilter.PATTERN)
@Singleton
class AdminAuthFilter implements Ordered {

    static final String PATTERN = "/v1/admin/**";
    static final String CHALLENGE = "Bearer realm=\"gateway-admin\"";

    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthFilter.class);

    private final AdminToken token;

    AdminAuthFilter(Credentials credentials) {
        this.token = credentials.adminToken();
    }

    @RequestFilter
    @Nullable
    HttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        String presented = Bearer.token(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            LOG.debug("{} {} from {} refused: no bearer token", request.getMethod(), request.getPath(),
                    request.getRemoteAddress());
            return refuse("this call needs the admin token: Authorization: Bearer <token>");
        }
        if (!token.matches(presented)) {
            LOG.warn("{} {} from {} refused: wrong admin token", request.getMethod(), request.getPath(),
                    request.getRemoteAddress());
            return refuse("the admin token is not valid");
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    private static HttpResponse<ApiError> refuse(String message) {
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .body(new ApiError("unauthorized", message, null));
    }
}

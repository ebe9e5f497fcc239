package dev.gridstate.gateway.auth;

import dev.gridstate.gateway.api.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * {@code GET /v1/jobs} lists jobs of the whole region (dead ones, with their errors): an
 * operator's view, so it takes the admin token like {@code /v1/admin}. A job's own status
 * ({@code /v1/jobs/{id}}) and intake do not.
 */
@ServerFilter(value = "/v1/jobs", methods = HttpMethod.GET)
class JobListAuthFilter implements Ordered {

    private final AdminAuthFilter admin;

    JobListAuthFilter(AdminAuthFilter admin) {
        this.admin = admin;
    }

    @RequestFilter
    @Nullable
    HttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        return admin.authenticate(request);
    }

    @Override
    public int getOrder() {
        return admin.getOrder();
    }
}

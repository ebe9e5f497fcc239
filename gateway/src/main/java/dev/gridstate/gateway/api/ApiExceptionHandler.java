package dev.gridstate.gateway.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ApiException exception) {
        var response = HttpResponse.<ApiError>status(exception.status()).body(exception.toError());
        // A 503 of ours is a dependency out for a moment (the broker): say when to come back.
        return exception.status() == HttpStatus.SERVICE_UNAVAILABLE ? response.header("Retry-After", "1") : response;
    }
}

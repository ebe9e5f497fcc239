package dev.gridstate.gateway.api;

import io.lettuce.core.RedisException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region's Redis did not answer (down, hung, timed out): a 503 the caller may retry, not a
 * 500. Nothing was half-written: every state change is one atomic script that ran or did not.
 */
@Produces
@Singleton
@Requires(classes = {RedisException.class, ExceptionHandler.class})
class StoreUnavailableHandler implements ExceptionHandler<RedisException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreUnavailableHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, RedisException exception) {
        LOG.warn("{} {}: state store unavailable: {}", request.getMethod(), request.getPath(), exception.toString());
        return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(new ApiError("store_unavailable", "the region's state store did not answer; retry shortly", null));
    }
}

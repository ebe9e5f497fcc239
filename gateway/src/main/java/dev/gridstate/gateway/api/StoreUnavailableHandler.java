package dev.gridstate.gateway.api;

import dev.gridstate.gateway.store.StoreSettings;
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
 * Neither the region's Redis nor central answered (down, hung, timed out, breakers open): a 503
 * the caller may retry after the breakers' open time, not a 500. Nothing was half-written: every
 * state change is one atomic script that ran or did not.
 */
@Produces
@Singleton
@Requires(classes = {RedisException.class, ExceptionHandler.class})
class StoreUnavailableHandler implements ExceptionHandler<RedisException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreUnavailableHandler.class);

    private final String retryAfter;

    StoreUnavailableHandler(StoreSettings settings) {
        this.retryAfter = String.valueOf(Math.max(1, (settings.openFor().toMillis() + 999) / 1000));
    }

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, RedisException exception) {
        LOG.warn("{} {}: state store unavailable: {}", request.getMethod(), request.getPath(), exception.toString());
        return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", retryAfter)
                .body(new ApiError("store_unavailable",
                        "neither the region's Redis nor central answered in time; retry shortly (each change is one atomic step, so a retry is safe)",
                        null));
    }
}

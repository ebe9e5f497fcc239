package dev.gridstate.gateway.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Gives the framework's own errors (no such route, wrong method or media type, a body past the
 * size limit, an unexpected failure) the same JSON shape as ours. A 5xx never carries the
 * exception's text: it is logged here, and the client gets a generic message.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class ApiErrorProcessor implements ErrorResponseProcessor<ApiError> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorProcessor.class);

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.status();
        ApiError body = status.getCode() >= 500
                ? serverError(context, status)
                : new ApiError(code(status), message(context, status), field(context));
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(null);
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    private static ApiError serverError(ErrorContext context, HttpStatus status) {
        context.getRootCause().ifPresent(cause ->
                LOG.error("{} {} failed with {}", context.getRequest().getMethod(), context.getRequest().getPath(), status, cause));
        return new ApiError(code(status), "the gateway could not complete the request", null);
    }

    static String code(HttpStatus status) {
        return switch (status) {
            case REQUEST_ENTITY_TOO_LARGE -> "body_too_large";
            case BAD_REQUEST -> "bad_request";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String message(ErrorContext context, HttpStatus status) {
        return context.getErrors().stream().map(Error::getMessage).findFirst().orElse(status.getReason());
    }

    private static String field(ErrorContext context) {
        return context.getErrors().stream().flatMap(e -> e.getPath().stream()).findFirst().orElse(null);
    }
}

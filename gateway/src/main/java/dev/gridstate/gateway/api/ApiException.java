package dev.gridstate.gateway.api;

import io.micronaut.http.HttpStatus;

/**
 * A request the gateway refuses, with the HTTP status, a stable machine-readable code and,
 * where one field is at fault, its JSON path. Turned into {@link ApiError} in one place.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;

    public ApiException(HttpStatus status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", message, field);
    }

    public static ApiException missing(String field) {
        return new ApiException(HttpStatus.BAD_REQUEST, "missing_field", field + " is required", field);
    }

    /** No valid credentials; says nothing about what exists. */
    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message, null);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " does not exist", null);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public ApiError toError() {
        return new ApiError(code, getMessage(), field);
    }
}

package dev.gridstate.testkit.toxiproxy;

/** A request the API refuses, answered as Toxiproxy does: {@code {"error": message, "status": status}}. */
final class ToxiproxyApiException extends RuntimeException {

    private final int status;

    private ToxiproxyApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ToxiproxyApiException notFound(String message) {
        return new ToxiproxyApiException(404, message);
    }

    static ToxiproxyApiException conflict(String message) {
        return new ToxiproxyApiException(409, message);
    }

    static ToxiproxyApiException badRequest(String message) {
        return new ToxiproxyApiException(400, message);
    }

    int status() {
        return status;
    }
}

package dev.gridstate.bench.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One HTTP/1.1 request, encoded once when built: sending it copies bytes and nothing more. The
 * generator adds {@code Host}; build a request once and reuse it, or use {@link #withBody} to
 * vary only the body. Immutable; the body array is not copied, so do not change it afterwards.
 */
public final class Request {

    private static final byte[] NO_BODY = new byte[0];
    private static final Set<String> SET_BY_GENERATOR = Set.of("host", "content-length", "transfer-encoding");
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

    private final String method;
    private final String target;
    private final byte[] lineAndHeaders;
    private final byte[] contentLength;
    private final byte[] body;

    private Request(String method, String target, byte[] lineAndHeaders, byte[] body) {
        this.method = method;
        this.target = target;
        this.lineAndHeaders = lineAndHeaders;
        this.body = body;
        this.contentLength = body.length > 0 || METHODS_WITH_BODY.contains(method)
                ? ascii("Content-Length: " + body.length + "\r\n")
                : NO_BODY;
    }

    public static Builder get(String target) {
        return builder("GET", target);
    }

    public static Builder post(String target) {
        return builder("POST", target);
    }

    /**
     * @param method an upper-case token such as {@code DELETE}
     * @param target the path and query, starting with {@code /}
     */
    public static Builder builder(String method, String target) {
        return new Builder(method, target);
    }

    /** The same method, target and headers with another body. */
    public Request withBody(byte[] newBody) {
        return new Request(method, target, lineAndHeaders, newBody == null ? NO_BODY : newBody);
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    public byte[] body() {
        return body;
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The bytes before {@code Host}: request line, headers and Content-Length. */
    int prefixLength() {
        return lineAndHeaders.length + contentLength.length;
    }

    byte[] lineAndHeaders() {
        return lineAndHeaders;
    }

    byte[] contentLength() {
        return contentLength;
    }

    @Override
    public String toString() {
        return method + " " + target + " (" + body.length + " body bytes)";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static final class Builder {
        private final String method;
        private final String target;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = NO_BODY;

        private Builder(String method, String target) {
            if (method == null || !method.matches("[A-Z]+")) {
                throw new IllegalArgumentException("method must be an upper-case token such as GET, but was '" + method + "'");
            }
            if (target == null || !target.startsWith("/") || !target.matches("[\\x21-\\x7e]+")) {
                throw new IllegalArgumentException(
                        "target must be a path and query starting with / in printable ASCII without spaces, but was '" + target + "'");
            }
            this.method = method;
            this.target = target;
        }

        public Builder header(String name, String value) {
            if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("header name must be an HTTP token, but was '" + name + "'");
            }
            if (SET_BY_GENERATOR.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' is set by the load generator");
            }
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header '" + name + "' must have a one-line value, but was '" + value + "'");
            }
            headers.add(new String[] {name, value});
            return this;
        }

        public Builder body(String contentType, byte[] bytes) {
            header("Content-Type", contentType);
            this.body = bytes == null ? NO_BODY : bytes;
            return this;
        }

        public Request build() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 32 * headers.size());
            out.writeBytes(ascii(method + " " + target + " HTTP/1.1\r\n"));
            for (String[] header : headers) {
                out.writeBytes(ascii(header[0] + ": "));
                out.writeBytes(header[1].getBytes(StandardCharsets.UTF_8));
                out.writeBytes(ascii("\r\n"));
            }
            return new Request(method, target, out.toByteArray(), body);
        }
    }
}

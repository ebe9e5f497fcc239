package dev.gridstate.gateway.subcloud;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Strong entity tags over the exact bytes of a body, and the {@code If-None-Match} test (RFC 9110 §13.1.2). */
final class ETags {

    private ETags() {
    }

    /** A quoted SHA-256 prefix (128 bits) of the body: equal bodies, equal tags. */
    static String strong(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Whether any {@code If-None-Match} header value names {@code etag}: {@code *}, or a list of
     * tags compared weakly, as the RFC asks for this header ({@code W/"x"} matches {@code "x"}).
     */
    static boolean matches(List<String> ifNoneMatch, String etag) {
        String opaque = opaque(etag);
        for (String header : ifNoneMatch) {
            for (String candidate : header.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*") || opaque(tag).equals(opaque)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

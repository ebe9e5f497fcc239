package dev.gridstate.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin token, compared in constant time. Both sides are hashed first, so neither the
 * content nor the length of the real token leaks through the time a refusal takes.
 */
final class AdminToken {

    private final byte[] digest;

    AdminToken(String token) {
        this.digest = sha256(token);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}

package dev.gridstate.gateway.auth;

/** Reads {@code Authorization: Bearer <token>}; anything else reads as no token. */
public final class Bearer {

    private static final String PREFIX = "Bearer ";

    private Bearer() {
    }

    public static String token(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String token = authorization.substring(PREFIX.length()).trim();
        return token.isEmpty() ? null : token;
    }
}

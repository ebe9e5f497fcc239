package dev.gridstate.gateway.auth;

import dev.gridstate.gateway.GatewayConfig;
import dev.gridstate.gateway.api.ApiException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The token a node proves itself with: HMAC-SHA256 of {@code region:nodeId} under
 * {@code gateway.node-token-secret}. Derived, never stored, so it survives the loss of any Redis
 * and every replica of the region issues and checks the same one.
 */
@Singleton
public class NodeTokens {

    private final String region;
    // a Mac is not thread-safe, and creating one costs ~10x the HMAC itself: one per thread, kept
    private final ThreadLocal<Mac> macs;

    NodeTokens(@Value("${gateway.node-token-secret:}") String secret, GatewayConfig config) {
        if (secret.isBlank()) {
            throw new IllegalStateException("gateway.node-token-secret (GATEWAY_NODE_TOKEN_SECRET) is not set: "
                    + "node tokens cannot be issued; set it, or run with the dev environment (MICRONAUT_ENVIRONMENTS=dev)");
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.region = config.region();
        this.macs = ThreadLocal.withInitial(() -> mac(key));
    }

    public String issue(String nodeId) {
        // doFinal leaves the Mac reset for the next call
        byte[] digest = macs.get().doFinal((region + ":" + nodeId).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /**
     * Refuses (401) a request that does not carry {@code nodeId}'s token as
     * {@code Authorization: Bearer <token>}.
     */
    public void require(String nodeId, String authorization) {
        if (!verify(nodeId, Bearer.token(authorization))) {
            throw ApiException.unauthorized("a valid node token is required: Authorization: Bearer <nodeToken from registration>");
        }
    }

    /** Constant-time check of a presented token; null or blank is never valid. */
    public boolean verify(String nodeId, String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(issue(nodeId).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}

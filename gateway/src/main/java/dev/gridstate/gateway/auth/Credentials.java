package dev.gridstate.gateway.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's two secrets, checked when it starts: it refuses to run without them rather than
 * with a guessable default. The dev environment's application-dev.yml supplies throwaway ones.
 */
@Context
class Credentials {

    static final String ADMIN_TOKEN = "gateway.admin.token";
    static final String NODE_TOKEN_SECRET = "gateway.node-token-secret";

    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

    private final AdminToken adminToken;

    Credentials(@Value("${" + ADMIN_TOKEN + ":}") String adminToken,
                @Value("${" + NODE_TOKEN_SECRET + ":}") String nodeTokenSecret,
                Environment environment) {
        List<String> missing = new ArrayList<>();
        if (adminToken.isBlank()) {
            missing.add(ADMIN_TOKEN);
        }
        if (nodeTokenSecret.isBlank()) {
            missing.add(NODE_TOKEN_SECRET);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(ADMIN_TOKEN + " (GATEWAY_ADMIN_TOKEN) and " + NODE_TOKEN_SECRET
                    + " (GATEWAY_NODE_TOKEN_SECRET) must both be set, but "
                    + (missing.size() == 2 ? "neither was" : missing.get(0) + " was not")
                    + "; the gateway does not start without them "
                    + "(on a laptop, MICRONAUT_ENVIRONMENTS=dev supplies throwaway ones)");
        }
        if (adminToken.chars().anyMatch(Character::isWhitespace)) {
            // the classic: a secret file or Kubernetes secret with a trailing newline, which no client ever sends
            throw new IllegalStateException(ADMIN_TOKEN + " (GATEWAY_ADMIN_TOKEN) must not contain whitespace, "
                    + "but it does (a trailing newline from a secret file?)");
        }
        if (environment.getActiveNames().contains("dev")) {
            LOG.warn("the dev environment is active: this gateway may be running on the throwaway secrets of "
                    + "application-dev.yml; never run it so outside a laptop");
        }
        this.adminToken = new AdminToken(adminToken);
    }

    AdminToken adminToken() {
        return adminToken;
    }
}

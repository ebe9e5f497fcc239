package dev.gridstate.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers can reach a Docker engine: the fallback when a binary is missing. */
final class Docker {

    private static final Logger LOG = LoggerFactory.getLogger(Docker.class);

    private Docker() {
    }

    static boolean isAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            LOG.debug("no Docker engine: {}", e.toString());
            return false;
        }
    }
}

package dev.gridstate.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/** The checked settings of one {@link NodeAgent}, made by {@link NodeAgentBuilder#build()}. */
record AgentConfig(List<URI> gateways, List<NodeSpec> nodes, Duration requestTimeout, Backoff backoff,
                   double heartbeatJitter, int maxRegistrationsInFlight, boolean deregisterOnClose,
                   Optional<ScheduledExecutorService> scheduler, Optional<HttpClient> httpClient,
                   Clock clock, RandomGenerator random, AgentListener listener, Optional<JobConfig> jobs) {

    String name() {
        return nodes.size() == 1 ? nodes.get(0).nodeId() : nodes.get(0).nodeId() + "+" + (nodes.size() - 1);
    }
}

package dev.gridstate.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a chaos drill needs to know of a running deployment, as a JSON file: the local topology
 * writes one, the drill command reads it, and an operator can write one for any deployment whose
 * Redis and RabbitMQ connections go through a Toxiproxy.
 *
 * @param toxiproxy    the Toxiproxy API, e.g. {@code http://127.0.0.1:8474}
 * @param centralRedis central Redis, reached directly (not through a proxy), e.g. {@code redis://127.0.0.1:6380}
 * @param adminToken   the gateways' admin token
 * @param control      an API that kills and starts the deployment's processes (the local
 *                     topology has one), or null: the scenarios that need it are then refused
 * @param models       models the gateways take jobs for
 * @param regions      the regions, each with its gateways and proxies
 */
public record Deployment(String toxiproxy, String centralRedis, String adminToken, String control,
                         List<String> models, List<Region> regions) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One region.
     *
     * @param name          the region, as the gateways are configured with it
     * @param gateways      its gateway replicas' base URLs
     * @param gatewayNames  the same replicas' names for {@code control}, in the same order
     * @param regionalRedis its Redis, reached directly, e.g. {@code redis://127.0.0.1:6381}
     * @param redisProxy    the Toxiproxy proxy between its gateways and its Redis
     * @param centralProxy  the proxy between its gateways and central Redis
     * @param rabbitProxy   the proxy between its gateways and RabbitMQ
     */
    public record Region(String name, List<String> gateways, List<String> gatewayNames, String regionalRedis,
                         String redisProxy, String centralProxy, String rabbitProxy) {
    }

    public Region region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no region " + name + " in " + regions.stream().map(Region::name).toList()));
    }

    public static Deployment read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Deployment.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the deployment from " + file, e);
        }
    }

    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the deployment to " + file, e);
        }
    }
}

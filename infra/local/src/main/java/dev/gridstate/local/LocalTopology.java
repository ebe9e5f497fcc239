package dev.gridstate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridstate.agent.Assignment;
import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.testkit.JarProcess;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The README's main job: a central Redis (AOF + RDB), one volatile Redis and one gateway per
 * region, RabbitMQ, and a simulated fleet heart-beating into both regions. Ctrl-C stops it all.
 */
@Command(name = "local-topology", mixinStandardHelpOptions = true,
        description = "Runs central Redis, two regions (Redis + gateway each), RabbitMQ and a simulated node fleet.")
public final class LocalTopology implements Runnable {

    private static final List<String> REGIONS = List.of("eu-west", "us-east");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Option(names = "--port", description = "Port of the first region's gateway; the next region gets the next port (default ${DEFAULT-VALUE}).")
    int port = 8081;

    @Option(names = "--nodes", description = "Simulated nodes per region (default ${DEFAULT-VALUE}).")
    int nodes = 200;

    @Option(names = "--gateway-jar", description = "The gateway to run (default ${DEFAULT-VALUE}).")
    Path gatewayJar = Path.of("gateway/target/gateway.jar");

    @Option(names = "--replicator-jar", description = "The replicator to run (default ${DEFAULT-VALUE}).")
    Path replicatorJar = Path.of("replication/target/replicator.jar");

    @Option(names = "--replicator-port", description = "Port of the replicator's status API (default ${DEFAULT-VALUE}).")
    int replicatorPort = 8090;

    @Option(names = "--work-dir", description = "Where gateway logs go (default ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".local");

    @Option(names = "--duration", description = "Stop by itself after this long, e.g. 60s (default: run until Ctrl-C).")
    String duration;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    // fresh for every run, never written to disk: the gateways refuse to start without them
    private final String adminToken = randomSecret();
    private final String nodeTokenSecret = randomSecret();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalTopology()).execute(args));
    }

    @Override
    public void run() {
        Thread hook = new Thread(this::stopAll, "local-topology-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            up();
            if (duration == null) {
                stopped.await();
            } else {
                stopped.await(Duration.parse("PT" + duration.toUpperCase()).toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /** Starts everything and prints the URLs; returns once the fleet is started. */
    private void up() {
        for (Path jar : List.of(gatewayJar, replicatorJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        jar + " is missing: build it first with ./mvnw -DskipTests package");
            }
        }
        for (int i = 0; i < REGIONS.size(); i++) {
            requireFree(port + i);
        }
        requireFree(replicatorPort);
        Path logs = createDirectories(workDir.resolve("logs"));
        RedisServer central = keep(RedisServer.startCentral());
        String rabbit = RabbitBroker.shared().uri();
        // This run's own change log on the broker, deleted when it stops: runs never mix.
        String exchange = RabbitBroker.shared().uniqueName("local-changes");
        String queueBase = RabbitBroker.shared().uniqueName("local-changes-q");
        String queuePrefix = queueBase + ".";
        REGIONS.forEach(region -> RabbitBroker.shared().derivedName(queueBase, "." + region));
        // And its own job queues: one per region and model, and a dead-letter queue per region.
        String jobsExchange = RabbitBroker.shared().uniqueName("local-jobs");
        RabbitBroker.shared().derivedName(jobsExchange, ".dead");
        String jobsQueueBase = RabbitBroker.shared().uniqueName("local-jobs-q");
        List<String> models = SimulatedFleet.models();
        for (String region : REGIONS) {
            RabbitBroker.shared().derivedName(jobsQueueBase, "." + region + ".dead");
            models.forEach(model -> RabbitBroker.shared().derivedName(jobsQueueBase, "." + region + "." + model));
        }
        JarProcess replicator = keep(JarProcess.start(replicatorJar, "replicator", replicatorPort, Map.of(
                "REDIS_SERVERS_CENTRAL_URI", central.uri(),
                "RABBITMQ_URI", rabbit,
                "REPLICATION_REGIONS", String.join(",", REGIONS),
                "REPLICATION_EXCHANGE", exchange,
                "REPLICATION_QUEUE_PREFIX", queuePrefix), List.of(), logs.resolve("replicator.log")));
        var builder = SimulatedFleet.builder().nodesPerRegion(nodes).jobs(LocalTopology::work);
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            RedisServer regional = keep(RedisServer.startRegional());
            JarProcess gateway = keep(JarProcess.start(gatewayJar, "gateway-" + region, port + i, Map.ofEntries(
                    Map.entry("GATEWAY_REGION", region),
                    Map.entry("GATEWAY_REPLICATION_EXCHANGE", exchange),
                    Map.entry("GATEWAY_REPLICATION_QUEUE_PREFIX", queuePrefix),
                    Map.entry("GATEWAY_JOBS_EXCHANGE", jobsExchange),
                    Map.entry("GATEWAY_JOBS_QUEUE_PREFIX", jobsQueueBase + "."),
                    Map.entry("GATEWAY_JOBS_MODELS", String.join(",", models)),
                    Map.entry("REDIS_SERVERS_REGIONAL_URI", regional.uri() + "?timeout=500ms"),
                    Map.entry("REDIS_SERVERS_CENTRAL_URI", central.uri() + "?timeout=500ms"),
                    Map.entry("RABBITMQ_URI", rabbit),
                    Map.entry("GATEWAY_ADMIN_TOKEN", adminToken),
                    Map.entry("GATEWAY_NODE_TOKEN_SECRET", nodeTokenSecret)), List.of(),
                    logs.resolve("gateway-" + region + ".log")));
            gateway.awaitAnswer("/health", Duration.ofSeconds(60));
            builder.region(region, List.of(gateway.uri()));
            summary.append(String.format("  %-8s gateway  %s   (Redis %s, log %s)%n", region, gateway.uri(), regional.uri(), gateway.log()));
        }
        replicator.awaitAnswer("/health", Duration.ofSeconds(60));
        SimulatedFleet started = keep(builder.build());
        started.start();
        URI first = URI.create("http://127.0.0.1:" + port);
        System.out.printf("%nLocal topology is up. Ctrl-C stops everything.%n%n%s"
                        + "  central  Redis    %s (AOF + RDB)%n"
                        + "  replicator        %s/v1/replication   (log %s)%n"
                        + "  change log        exchange %s, queue per region %s<region>%n"
                        + "  jobs              exchange %s, queue per region and model %s<region>.<model>%n"
                        + "  RabbitMQ          %s%n"
                        + "  fleet             %d simulated nodes per region%n"
                        + "  admin token       %s (this run only, both regions)%n%n"
                        + "Try:%n  curl %s/health%n  curl '%s/v1/nodes?model=llama-3-8b&limit=5'%n  curl %s/v1/nodes/%s%n"
                        + "  curl -H 'Authorization: Bearer %s' %s/v1/admin/replication%n"
                        + "  curl -XPOST %s/v1/jobs -H 'Content-Type: application/json' -d '{\"model\":\"llama-3-8b\",\"payload\":{\"prompt\":\"hi\"}}'   # then GET /v1/jobs/<jobId>%n%n",
                summary, central.uri(), replicator.uri(), replicator.log(), exchange, queuePrefix, jobsExchange,
                jobsQueueBase + ".", rabbit.replaceAll("//[^@]*@", "//"), nodes, adminToken,
                first, first, first, started.nodeIds().get(0), adminToken, first, first);
    }

    /** What the simulated nodes do with a job: a short pretend inference that echoes the payload. */
    private static JsonNode work(Assignment job) throws InterruptedException {
        Thread.sleep(20 + ThreadLocalRandom.current().nextInt(180));
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("node", job.nodeId()).put("model", job.model());
        output.set("echo", job.payload());
        return output;
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.push(resource);
        return resource;
    }

    /** Stops the fleet, the gateways and the servers, newest first. */
    private synchronized void stopAll() {
        stopped.countDown();
        if (running.isEmpty()) {
            return;
        }
        System.out.println("Stopping the local topology…");
        while (!running.isEmpty()) {
            AutoCloseable resource = running.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("could not stop " + resource + ": " + e);
            }
        }
        // Only now that nothing would declare them again: this run's exchange and queues.
        try {
            RabbitBroker.shared().deleteNamesHandedOut();
        } catch (RuntimeException e) {
            System.err.println("could not delete this run's exchange and queues: " + e);
        }
        System.out.println("Stopped.");
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken; choose other ports with --port");
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }
}

package dev.gridstate.local;

import dev.gridstate.agent.sim.EchoWork;
import dev.gridstate.testkit.Deployment;
import dev.gridstate.testkit.RabbitBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's main job: a {@link LocalDeployment} (central Redis, two regions with a Redis and
 * gateways each, RabbitMQ, a simulated fleet, and Toxiproxy between the gateways and their Redis
 * and RabbitMQ) until Ctrl-C or {@code --duration}. It writes what a chaos drill needs to know of
 * it to {@code <work-dir>/deployment.json}.
 */
@Command(name = "local-topology", mixinStandardHelpOptions = true,
        description = "Runs central Redis, two regions (Redis + gateway each), RabbitMQ, Toxiproxy and a simulated node fleet.")
public final class LocalTopology implements Runnable {

    @Option(names = "--port", description = "Port of the first gateway; the others get the next ports, region by region (default ${DEFAULT-VALUE}).")
    int port = 8081;

    @Option(names = "--replicas", description = "Gateway replicas per region (default ${DEFAULT-VALUE}).")
    int replicas = 1;

    @Option(names = "--nodes", description = "Simulated nodes per region (default ${DEFAULT-VALUE}).")
    int nodes = 200;

    @Option(names = "--gateway-jar", description = "The gateway to run (default ${DEFAULT-VALUE}).")
    Path gatewayJar = Path.of("gateway/target/gateway.jar");

    @Option(names = "--replicator-jar", description = "The replicator to run (default ${DEFAULT-VALUE}).")
    Path replicatorJar = Path.of("replication/target/replicator.jar");

    @Option(names = "--replicator-port", description = "Port of the replicator's status API (default ${DEFAULT-VALUE}).")
    int replicatorPort = 8090;

    @Option(names = "--toxiproxy-port", description = "Port of the Toxiproxy API (default ${DEFAULT-VALUE}).")
    int toxiproxyPort = 8474;

    @Option(names = "--control-port", description = "Port of the process control API drills use (default ${DEFAULT-VALUE}).")
    int controlPort = 8475;

    @Option(names = "--work-dir", description = "Where logs and deployment.json go (default ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".local");

    @Option(names = "--duration", description = "Stop by itself after this long, e.g. 60s (default: run until Ctrl-C).")
    String duration;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private LocalDeployment local;

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
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // stopped by a signal: the hook is what is running now
            }
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
        if (replicas < 1 || replicas > 4) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--replicas must be between 1 and 4");
        }
        for (int i = 0; i < LocalDeployment.REGIONS.size() * replicas; i++) {
            requireFree(port + i, "--port");
        }
        requireFree(replicatorPort, "--replicator-port");
        requireFree(toxiproxyPort, "--toxiproxy-port");
        requireFree(controlPort, "--control-port");
        local = LocalDeployment.start(new LocalDeployment.Options().port(port).replicas(replicas).nodes(nodes)
                .gatewayJar(gatewayJar).replicatorJar(replicatorJar).replicatorPort(replicatorPort)
                .toxiproxyPort(toxiproxyPort).controlPort(controlPort).workDir(workDir).work(EchoWork::run));
        Deployment deployment = local.deployment();
        Path described = workDir.resolve("deployment.json");
        deployment.write(described);
        String[] broker = local.brokerNames();
        StringBuilder summary = new StringBuilder();
        for (Deployment.Region region : deployment.regions()) {
            summary.append(String.format("  %-8s gateway  %s   (Redis %s, logs in %s)%n", region.name(),
                    String.join(" ", region.gateways()), region.regionalRedis(), workDir.resolve("logs")));
        }
        String first = deployment.regions().get(0).gateways().get(0);
        System.out.printf("%nLocal topology is up. Ctrl-C stops everything.%n%n%s"
                        + "  central  Redis    %s (AOF + RDB)%n"
                        + "  replicator        %s/v1/replication   (log %s)%n"
                        + "  change log        exchange %s, queue per region %s<region>%n"
                        + "  jobs              exchange %s, queue per region and model %s<region>.<model>%n"
                        + "  RabbitMQ          %s%n"
                        + "  Toxiproxy         %s (proxies <region>-redis, <region>-central, <region>-rabbit)%n"
                        + "  fleet             %d simulated nodes per region%n"
                        + "  admin token       %s (this run only, both regions)%n%n"
                        + "Try:%n  curl %s/health%n  curl '%s/v1/nodes?model=llama-3-8b&limit=5'%n  curl %s/v1/nodes/%s%n"
                        + "  curl -H 'Authorization: Bearer %s' %s/v1/admin/replication%n"
                        + "  curl -XPOST %s/v1/jobs -H 'Content-Type: application/json' -d '{\"model\":\"llama-3-8b\",\"payload\":{\"prompt\":\"hi\"}}'   # then GET /v1/jobs/<jobId>%n"
                        + "  infra/local/drill.sh --deployment %s   # a chaos drill against it (chaos-tests/README.md)%n%n",
                summary, deployment.centralRedis(), local.replicator().uri(), local.replicator().log(), broker[0], broker[1],
                broker[2], broker[3], RabbitBroker.shared().uri().replaceAll("//[^@]*@", "//"), deployment.toxiproxy(),
                nodes, deployment.adminToken(), first, first, first, local.fleet().nodeIds().get(0),
                deployment.adminToken(), first, first, described);
    }

    /** Stops the deployment, once. */
    private synchronized void stopAll() {
        stopped.countDown();
        if (local == null) {
            return;
        }
        System.out.println("Stopping the local topology…");
        local.close();
        local = null;
        System.out.println("Stopped.");
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken; choose another with " + option);
        }
    }
}

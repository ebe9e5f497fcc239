package dev.gridstate.local;

import dev.gridstate.agent.JobHandler;
import dev.gridstate.agent.sim.SimulatedFleet;
import dev.gridstate.testkit.Deployment;
import dev.gridstate.testkit.JarProcess;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import dev.gridstate.testkit.RedisServer;
import dev.gridstate.testkit.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A whole deployment on this machine: central Redis (AOF + RDB), per region a volatile Redis and
 * its gateway replicas, the replicator, RabbitMQ, a simulated fleet, and between the gateways
 * and every Redis and RabbitMQ a Toxiproxy proxy, so drills can put faults on those links. A
 * control API kills and starts the processes for drills. {@link #close()} stops it all and
 * deletes the run's names on the broker.
 */
public final class LocalDeployment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDeployment.class);
    static final List<String> REGIONS = List.of("eu-west", "us-east");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What to start; the defaults are the README's main job. */
    public static final class Options {
        int port = 8081;
        int replicas = 1;
        int nodes = 200;
        int replicatorPort = 8090;
        int toxiproxyPort = 8474;
        int controlPort = 8475;
        Path gatewayJar = Path.of("gateway/target/gateway.jar");
        Path replicatorJar = Path.of("replication/target/replicator.jar");
        Path workDir = Path.of(".local");
        JobHandler work;
        Map<String, String> gatewayEnv = Map.of();

        public Options port(int firstGatewayPort) { this.port = firstGatewayPort; return this; }
        public Options replicas(int perRegion) { this.replicas = perRegion; return this; }
        public Options nodes(int perRegion) { this.nodes = perRegion; return this; }
        public Options replicatorPort(int port) { this.replicatorPort = port; return this; }
        public Options toxiproxyPort(int port) { this.toxiproxyPort = port; return this; }
        public Options controlPort(int port) { this.controlPort = port; return this; }
        public Options gatewayJar(Path jar) { this.gatewayJar = jar; return this; }
        public Options replicatorJar(Path jar) { this.replicatorJar = jar; return this; }
        public Options workDir(Path dir) { this.workDir = dir; return this; }
        public Options work(JobHandler handler) { this.work = handler; return this; }
        /** Settings of every gateway, as environment variables, over the topology's own. */
        public Options gatewayEnv(Map<String, String> env) { this.gatewayEnv = Map.copyOf(env); return this; }

        /** The ports a gateway replica listens on: region by region, replica by replica. */
        List<Integer> gatewayPorts() {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < REGIONS.size() * replicas; i++) {
                ports.add(port + i);
            }
            return ports;
        }
    }

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, RedisServer> redis = new LinkedHashMap<>();
    private final Map<String, Supplier<JarProcess>> gatewayStarts = new LinkedHashMap<>();
    private final Map<String, JarProcess> gateways = new LinkedHashMap<>();
    private final List<Deployment.Region> regions = new ArrayList<>();
    // fresh for every run, never written anywhere but the drill file: the gateways refuse to start without them
    private final String adminToken = randomSecret();
    private final String nodeTokenSecret = randomSecret();
    private final Options options;
    private String exchange;
    private String queuePrefix;
    private String jobsExchange;
    private String jobsQueuePrefix;
    private JarProcess replicator;
    private String toxiproxyUrl;
    private ControlServer control;
    private SimulatedFleet fleet;
    private Deployment deployment;
    private boolean closed;

    private LocalDeployment(Options options) {
        this.options = options;
    }

    /** Starts everything; returns once every gateway answers and the fleet is started. */
    public static LocalDeployment start(Options options) {
        LocalDeployment local = new LocalDeployment(options);
        try {
            local.up();
            return local;
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    private void up() {
        Path logs = createDirectories(options.workDir.resolve("logs"));
        RedisServer central = keep(RedisServer.startCentral());
        redis.put("central", central);
        String rabbit = RabbitBroker.shared().uri();
        URI rabbitUri = URI.create(rabbit);
        // This run's own change log on the broker, deleted when it stops: runs never mix.
        exchange = RabbitBroker.shared().uniqueName("local-changes");
        String queueBase = RabbitBroker.shared().uniqueName("local-changes-q");
        queuePrefix = queueBase + ".";
        REGIONS.forEach(region -> RabbitBroker.shared().derivedName(queueBase, "." + region));
        // And its own job queues: one per region and model, and a dead-letter queue per region.
        jobsExchange = RabbitBroker.shared().uniqueName("local-jobs");
        RabbitBroker.shared().derivedName(jobsExchange, ".dead");
        String jobsQueueBase = RabbitBroker.shared().uniqueName("local-jobs-q");
        jobsQueuePrefix = jobsQueueBase + ".";
        List<String> models = SimulatedFleet.models();
        for (String region : REGIONS) {
            RabbitBroker.shared().derivedName(jobsQueueBase, "." + region + ".dead");
            models.forEach(model -> RabbitBroker.shared().derivedName(jobsQueueBase, "." + region + "." + model));
        }
        replicator = keep(JarProcess.start(options.replicatorJar, "replicator", options.replicatorPort, Map.of(
                "REDIS_SERVERS_CENTRAL_URI", central.uri(),
                "RABBITMQ_URI", rabbit,
                "REPLICATION_REGIONS", String.join(",", REGIONS),
                "REPLICATION_EXCHANGE", exchange,
                "REPLICATION_QUEUE_PREFIX", queuePrefix), List.of(), logs.resolve("replicator.log")));
        ToxiproxyClient proxies = toxiproxy();
        var builder = SimulatedFleet.builder().nodesPerRegion(options.nodes);
        if (options.work != null) {
            builder.jobs(options.work);
        }
        List<Integer> ports = options.gatewayPorts();
        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            RedisServer regional = keep(RedisServer.startRegional());
            redis.put(region, regional);
            String redisProxy = proxy(proxies, region + "-redis", regional.host() + ":" + regional.port());
            String centralProxy = proxy(proxies, region + "-central", central.host() + ":" + central.port());
            int rabbitPort = rabbitUri.getPort() == -1 ? 5672 : rabbitUri.getPort();
            String rabbitProxy = proxy(proxies, region + "-rabbit", rabbitUri.getHost() + ":" + rabbitPort);
            String through = through(rabbitUri, listen(proxies, rabbitProxy));
            Map<String, String> env = new HashMap<>(Map.ofEntries(
                    Map.entry("GATEWAY_REGION", region),
                    Map.entry("GATEWAY_REPLICATION_EXCHANGE", exchange),
                    Map.entry("GATEWAY_REPLICATION_QUEUE_PREFIX", queuePrefix),
                    Map.entry("GATEWAY_JOBS_EXCHANGE", jobsExchange),
                    Map.entry("GATEWAY_JOBS_QUEUE_PREFIX", jobsQueuePrefix),
                    Map.entry("GATEWAY_JOBS_MODELS", String.join(",", models)),
                    Map.entry("REDIS_SERVERS_REGIONAL_URI", "redis://" + listen(proxies, redisProxy) + "?timeout=500ms"),
                    Map.entry("REDIS_SERVERS_CENTRAL_URI", "redis://" + listen(proxies, centralProxy) + "?timeout=500ms"),
                    Map.entry("RABBITMQ_URI", through),
                    Map.entry("GATEWAY_ADMIN_TOKEN", adminToken),
                    Map.entry("GATEWAY_NODE_TOKEN_SECRET", nodeTokenSecret)));
            env.putAll(options.gatewayEnv);
            List<String> names = new ArrayList<>();
            List<String> urls = new ArrayList<>();
            for (int r = 0; r < options.replicas; r++) {
                String name = "gateway-" + region + (options.replicas == 1 ? "" : "-" + r);
                int port = ports.get(i * options.replicas + r);
                Path log = logs.resolve(name + ".log");
                gatewayStarts.put(name, () -> JarProcess.start(options.gatewayJar, name, port, env, List.of(), log));
                startGateway(name);
                names.add(name);
                urls.add(gateways.get(name).uri().toString());
            }
            builder.region(region, urls.stream().map(URI::create).toList());
            regions.add(new Deployment.Region(region, urls, names, regional.uri(), redisProxy, centralProxy, rabbitProxy));
        }
        replicator.awaitAnswer("/health", Duration.ofSeconds(60));
        control = keep(ControlServer.start(options.controlPort, adminToken, this));
        fleet = keep(builder.build());
        fleet.start();
        deployment = new Deployment(toxiproxyUrl, central.uri(), adminToken, control.url(), models, List.copyOf(regions));
    }

    /**
     * The Toxiproxy named by {@code TOXIPROXY_URL} when there is one (the real server, on this
     * host: its proxies listen on 127.0.0.1), else the testkit's own, started here. Proxies of
     * this deployment on a given server are deleted again on close.
     */
    private ToxiproxyClient toxiproxy() {
        String given = System.getenv("TOXIPROXY_URL");
        if (given == null || given.isBlank()) {
            ToxiproxyServer server = keep(ToxiproxyServer.start(options.toxiproxyPort));
            toxiproxyUrl = server.url();
            return new ToxiproxyClient("127.0.0.1", server.port());
        }
        URI api = URI.create(given.trim());
        toxiproxyUrl = given.trim();
        ToxiproxyClient client = new ToxiproxyClient(api.getHost(), api.getPort());
        AutoCloseable deleteProxies = () -> {
            for (String region : REGIONS) {
                for (String link : List.of("-redis", "-central", "-rabbit")) {
                    var proxy = client.getProxyOrNull(region + link);
                    if (proxy != null) {
                        proxy.delete();
                    }
                }
            }
        };
        keep(deleteProxies);
        return client;
    }

    private static String proxy(ToxiproxyClient client, String name, String upstream) {
        try {
            var stale = client.getProxyOrNull(name);
            if (stale != null) {
                stale.delete();
            }
            client.createProxy(name, "127.0.0.1:" + Ports.freePort(), upstream);
            return name;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the proxy " + name + " to " + upstream, e);
        }
    }

    /** The broker's URI with its host and port replaced by the proxy's ({@code host:port}). */
    private static String through(URI broker, String proxy) {
        int colon = proxy.lastIndexOf(':');
        try {
            return new URI(broker.getScheme(), broker.getUserInfo(), proxy.substring(0, colon),
                    Integer.parseInt(proxy.substring(colon + 1)), broker.getPath(), broker.getQuery(), null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot route " + broker + " through " + proxy, e);
        }
    }

    private static String listen(ToxiproxyClient client, String proxy) {
        try {
            return client.getProxy(proxy).getListen();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the proxy " + proxy, e);
        }
    }

    /** What a drill needs to know of this deployment. */
    public Deployment deployment() {
        return deployment;
    }

    public SimulatedFleet fleet() {
        return fleet;
    }

    public String adminToken() {
        return adminToken;
    }

    public JarProcess replicator() {
        return replicator;
    }

    public Map<String, RedisServer> redis() {
        return Map.copyOf(redis);
    }

    /** The change log's exchange and the prefix of its queues, and the same of the job queues. */
    String[] brokerNames() {
        return new String[]{exchange, queuePrefix, jobsExchange, jobsQueuePrefix};
    }

    /** SIGKILL of a gateway replica: what it held goes back to the broker, its clients to the other replicas. */
    synchronized void killGateway(String name) {
        JarProcess gateway = gateways.get(name);
        if (gateway == null) {
            throw new IllegalArgumentException("no gateway " + name + "; there are " + gatewayStarts.keySet());
        }
        gateway.kill();
    }

    /** Starts a gateway replica again, on its port and with its settings; returns once it answers. */
    synchronized void startGateway(String name) {
        Supplier<JarProcess> start = gatewayStarts.get(name);
        if (start == null) {
            throw new IllegalArgumentException("no gateway " + name + "; there are " + gatewayStarts.keySet());
        }
        JarProcess old = gateways.get(name);
        if (old != null && old.isAlive()) {
            return;
        }
        // One at a time: JVMs starting side by side on a small machine starve each other past
        // their connection timeouts; one that exits while starting gets two more starts.
        JarProcess started = JarProcess.startAndAwait(start, "/health", Duration.ofSeconds(90), 3);
        gateways.put(name, started);
        running.push(started);
    }

    /** A Redis by name ({@code central} or a region). */
    synchronized RedisServer redisNamed(String name) {
        RedisServer server = redis.get(name);
        if (server == null) {
            throw new IllegalArgumentException("no Redis " + name + "; there are " + redis.keySet());
        }
        return server;
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.push(resource);
        return resource;
    }

    /** Stops the fleet, the control API, the gateways and the servers, newest first; then the run's broker names go. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!running.isEmpty()) {
            AutoCloseable resource = running.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("could not stop {}: {}", resource, e.toString());
            }
        }
        // Only now that nothing would declare them again: this run's exchanges and queues.
        try {
            RabbitBroker.shared().deleteNamesHandedOut();
        } catch (RuntimeException e) {
            LOG.warn("could not delete this run's exchange and queues: {}", e.toString());
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

package dev.gridstate.local;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.gridstate.testkit.Ports;
import dev.gridstate.testkit.RabbitBroker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The README's main job as a user runs it: the packaged jar (what run.sh starts), in its own
 * process; everything comes up, the fleet is live in both regions, and Ctrl-C stops it all.
 */
class LocalTopologyIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int NODES = 25;
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Pattern APPLIED = Pattern.compile("\"appliedMessages\":(\\d+)");
    private static final Pattern CHANGE_LOG = Pattern.compile("exchange (\\S+), queue per region (\\S+)<region>");
    private static final Pattern ADMIN_TOKEN = Pattern.compile("admin token\\s+(\\S+)");
    private static final Pattern JOBS = Pattern.compile("jobs\\s+exchange (\\S+), queue per region and model (\\S+)<region>");
    private static final Pattern JOB_ID = Pattern.compile("\"jobId\":\"([0-9a-f-]{36})\"");

    @Test
    @DisplayName("the packaged local topology brings up two gateways with a live fleet in each, and Ctrl-C stops every process")
    void shouldRunAndStopCleanly(@TempDir Path work) throws Exception {
        String exchange;
        String queue;
        String jobQueue;
        // Two gateways on port and port + 1, the replicator on port + 2, Toxiproxy and the control API next.
        int port = Ports.freeRange(5);
        int replicatorPort = port + 2;
        Process topology = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-jar", "target/local-topology.jar", "--port", String.valueOf(port), "--nodes", String.valueOf(NODES),
                "--gateway-jar", "../../gateway/target/gateway.jar",
                "--replicator-jar", "../../replication/target/replicator.jar", "--replicator-port", String.valueOf(replicatorPort),
                "--toxiproxy-port", String.valueOf(port + 3), "--control-port", String.valueOf(port + 4),
                "--work-dir", work.toString())
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readLines(topology, output));

        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> output.stream().anyMatch(l -> l.contains("Local topology is up"))
                    || !topology.isAlive());
            assertThat(topology.isAlive()).as(String.join("\n", output)).isTrue();
            String adminToken = output.stream().map(ADMIN_TOKEN::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst().orElseThrow();
            Matcher changeLog = output.stream().map(CHANGE_LOG::matcher).filter(Matcher::find).findFirst().orElseThrow();
            exchange = changeLog.group(1);
            queue = changeLog.group(2) + "eu-west";
            assertThat(brokerHas(exchange, queue)).as("the run's exchange and queue while it runs").isTrue();
            Matcher jobs = output.stream().map(JOBS::matcher).filter(Matcher::find).findFirst().orElseThrow();
            jobQueue = jobs.group(2) + "eu-west.llama-3-8b";

            for (int p : new int[]{port, port + 1}) {
                await().atMost(Duration.ofSeconds(20)).until(() -> onlineNodes(p) == NODES);
                assertThat(status("http://127.0.0.1:" + p + "/health", null)).isEqualTo(200);
                // the run's own admin token reached the gateway, and nothing else opens the admin API
                assertThat(status("http://127.0.0.1:" + p + "/v1/admin/whoami", adminToken)).isEqualTo(200);
                assertThat(status("http://127.0.0.1:" + p + "/v1/admin/whoami", null)).isEqualTo(401);
            }

            // a job runs on the fleet, as the printed example does it
            String jobId = submitJob(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> get("http://127.0.0.1:" + port + "/v1/jobs/" + jobId)
                    .contains("\"state\":\"succeeded\""));
            assertThat(brokerHas(jobs.group(1), jobQueue)).as("the run's job exchange and queue while it runs").isTrue();

            // the fleet's changes reach central through the replicator
            await().atMost(Duration.ofSeconds(20)).until(() -> appliedMessages(replicatorPort) > 0);

            new ProcessBuilder("kill", "-INT", String.valueOf(topology.pid())).start().waitFor();
            assertThat(topology.waitFor(30, TimeUnit.SECONDS)).as("stopped after Ctrl-C").isTrue();
        } finally {
            topology.destroyForcibly();
        }
        reader.join(Duration.ofSeconds(5));

        assertThat(output).anyMatch(l -> l.contains("Stopped."));
        assertThat(brokerHas(exchange, null)).as("exchange " + exchange + " deleted at stop").isFalse();
        assertThat(brokerHas(null, queue)).as("queue " + queue + " deleted at stop").isFalse();
        assertThat(brokerHas(null, jobQueue)).as("job queue " + jobQueue + " deleted at stop").isFalse();
        for (int p : new int[]{port, port + 1, replicatorPort}) {
            assertThatThrownBy(() -> status("http://127.0.0.1:" + p + "/health", null)).hasCauseInstanceOf(ConnectException.class);
        }
        assertThat(work.resolve("logs/gateway-eu-west.log")).isNotEmptyFile();
    }

    /** Whether the broker has the exchange and the queue (each only if not null). */
    private static boolean brokerHas(String exchange, String queue) throws Exception {
        try (Connection connection = RabbitBroker.shared().connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            if (exchange != null) {
                channel.exchangeDeclarePassive(exchange);
            }
            if (queue != null) {
                channel.queueDeclarePassive(queue);
            }
            return true;
        } catch (IOException absent) {
            return false;
        }
    }

    private static String submitJob(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama-3-8b\",\"payload\":{\"prompt\":\"hi\"}}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Matcher id = JOB_ID.matcher(r.body());
        assertThat(id.find()).as(r.body()).isTrue();
        return id.group(1);
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Messages the replicator applied, over every region it serves. */
    private static long appliedMessages(int port) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/replication")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = APPLIED.matcher(body);
        long applied = 0;
        while (m.find()) {
            applied += Long.parseLong(m.group(1));
        }
        return applied;
    }

    private static void readLines(Process process, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            output.add("(output ended: " + e + ")");
        }
    }

    /** Online idle plus busy nodes of a region, as matchmaking sees them. */
    private static long onlineNodes(int port) throws Exception {
        long total = 0;
        for (String state : List.of("idle", "busy")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/v1/nodes?state=" + state + "&limit=1000")).build(), HttpResponse.BodyHandlers.ofString());
            Matcher count = COUNT.matcher(r.body());
            assertThat(count.find()).as(r.body()).isTrue();
            total += Long.parseLong(count.group(1));
        }
        return total;
    }

    private static int status(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(url + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port p such that p and p + 1 are both free on 127.0.0.1. */
}

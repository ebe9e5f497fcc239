package dev.gridstate.gateway.events;

import dev.gridstate.gateway.Http;
import dev.gridstate.gateway.Nodes;
import dev.gridstate.gateway.TestGateway;
import dev.gridstate.gateway.TestRegion;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event stream against a real regional Redis shared by two replicas: events are published
 * on the region's channel by the test itself (as the scripts do), and read over real SSE
 * connections, one of them deliberately slow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamIT {

    private static final String CHANNEL = TestRegion.KEYS + "events";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestRegion region;
    private TestGateway a;
    private TestGateway b;
    private RedisCommands<String, String> redis;

    @BeforeAll
    void start() {
        region = TestRegion.start(2, Map.of());
        a = region.gateway(0);
        b = region.gateway(1);
        redis = region.regional().commands();
    }

    @AfterAll
    void stop() {
        region.close();
    }

    @Test
    @DisplayName("a reader that keeps up sees every one of 300 changes a script published at once, in order")
    void shouldStreamEveryChangeToAReaderThatKeepsUp() {
        try (SseClient reader = SseClient.open(b.uri().resolve("/v1/events?nodeId=fast")).awaitLive()) {

            publishBurst("fast", 300);
            List<SseClient.Frame> frames = reader.until(f -> f.data() != null && f.json().path("n").asInt() == 299, WAIT);

            assertThat(frames).extracting(f -> f.json().path("n").asInt()).containsExactlyElementsOf(range(300));
            assertThat(frames).extracting(SseClient.Frame::event).containsOnly("state");
            assertThat(frames).extracting(f -> Long.parseLong(f.id())).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    @DisplayName("a stalled reader gets the newest state of a node that changed 500 times, not 500 events")
    void shouldHandAStalledReaderTheNewestStateInsteadOfTheBacklog() {
        MeterRegistry meters = b.context().getBean(MeterRegistry.class);
        double coalescedBefore = meters.get("gateway.events.coalesced").counter().count();
        int coalesceAfter = b.context().getBean(EventSettings.class).coalesceAfter();
        try (SseClient reader = SseClient.open(b.uri().resolve("/v1/events")).awaitLive()) {
            reader.pause();
            // a margin over the threshold, so a last write the socket still took changes nothing
            int fillers = Backlog.fill(redis, meters, coalesceAfter + 50);

            for (int i = 0; i < 500; i++) {
                publishState("hot", i % 2 == 0 ? "busy" : "idle", i);
            }
            await().atMost(WAIT).until(() -> meters.get("gateway.events.coalesced").counter().count() - coalescedBefore >= 499);
            reader.resume();
            List<SseClient.Frame> frames = reader.until(f -> "hot".equals(f.nodeId()), WAIT);

            assertThat(frames).filteredOn(f -> "hot".equals(f.nodeId())).singleElement()
                    .satisfies(f -> assertThat(f.json().path("n").asInt()).isEqualTo(499));
            assertThat(frames).filteredOn(f -> f.nodeId() != null && f.nodeId().startsWith(Backlog.FILLER)).hasSize(fillers);
        }
    }

    @Test
    @DisplayName("?nodeId= and ?type= (each repeatable) pass only the nodes and types asked for")
    void shouldStreamOnlyTheNodesAndTypesAskedFor() {
        try (SseClient reader = SseClient.open(b.uri().resolve("/v1/events?nodeId=fa&nodeId=fb&type=offline")).awaitLive()) {

            publishState("fa", "busy", 1);
            publish("{\"nodeId\":\"fc\",\"type\":\"offline\",\"at\":1}");
            publish("{\"nodeId\":\"fb\",\"type\":\"offline\",\"at\":2}");
            publish("{\"nodeId\":\"fa\",\"type\":\"offline\",\"at\":3}");
            List<SseClient.Frame> frames = reader.until(f -> "fa".equals(f.nodeId()), WAIT);

            assertThat(frames).extracting(SseClient.Frame::nodeId, SseClient.Frame::event)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fb", "offline"),
                            org.assertj.core.groups.Tuple.tuple("fa", "offline"));
        }
    }

    @Test
    @DisplayName("a node registered through replica A shows up online in the stream of replica B")
    void shouldStreamARegistrationMadeThroughTheOtherReplica() {
        try (SseClient reader = SseClient.open(b.uri().resolve("/v1/events?nodeId=e2e-1")).awaitLive()) {

            assertThat(a.http().put("/v1/nodes/e2e-1", Nodes.spec(40000)).status()).isEqualTo(201);
            SseClient.Frame online = reader.next(WAIT);

            assertThat(online.event()).isEqualTo("online");
            assertThat(online.json().path("nodeId").asText()).isEqualTo("e2e-1");
            assertThat(online.json().path("at").asLong()).isPositive();
        }
    }

    @Test
    @DisplayName("a client that reconnects with Last-Event-ID is told to resync: the stream does not replay")
    void shouldTellAReconnectingClientToResync() {
        HttpRequest.Builder reconnect = HttpRequest.newBuilder(b.uri().resolve("/v1/events?nodeId=back"))
                .header("Last-Event-ID", "41");
        try (SseClient reader = SseClient.open(reconnect).awaitLive()) {

            publish("{\"nodeId\":\"back\",\"type\":\"online\",\"at\":1}");
            List<SseClient.Frame> frames = reader.until(f -> "back".equals(f.nodeId()), WAIT);

            assertThat(frames).extracting(SseClient.Frame::event).containsExactly("resync", "online");
            assertThat(frames.get(0).json().path("message").asText()).contains("does not replay");
        }
    }

    @Test
    @DisplayName("a bad filter is a 400 naming the parameter, and no subscriber slot is taken")
    void shouldRefuseABadFilter() {
        Http.Answer answer = b.http().get("/v1/events?type=online&type=rebooted");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("invalid_field");
        assertThat(answer.json().path("field").asText()).isEqualTo("type");
        assertThat(b.context().getBean(EventHub.class).subscribers()).isZero();
    }

    @Test
    @DisplayName("the subscribers gauge counts open streams and drops when a client goes away")
    void shouldCountSubscribersUntilTheyLeave() {
        MeterRegistry meters = a.context().getBean(MeterRegistry.class);
        SseClient first = SseClient.open(a.uri().resolve("/v1/events")).awaitLive();
        try (SseClient second = SseClient.open(a.uri().resolve("/v1/events?type=flags")).awaitLive()) {
            assertThat(subscribers(meters)).isEqualTo(2);

            first.close();

            await().atMost(WAIT).until(() -> subscribers(meters) == 1);
        }
        await().atMost(WAIT).until(() -> subscribers(meters) == 0);
    }

    private void publishState(String nodeId, String state, int n) {
        publish("{\"nodeId\":\"" + nodeId + "\",\"type\":\"state\",\"at\":1,\"state\":\"" + state + "\",\"n\":" + n + "}");
    }

    /** {@code count} state changes of one node from one script, as fast as Redis sends them, like the sweep's. */
    private void publishBurst(String nodeId, int count) {
        assertThat(redis.<Long>eval("""
                for i = 0, tonumber(ARGV[2]) - 1 do
                  local state = (i % 2 == 0) and 'busy' or 'idle'
                  redis.call('PUBLISH', KEYS[1], string.format(
                      '{"nodeId":"%s","type":"state","at":1,"state":"%s","n":%d}', ARGV[1], state, i))
                end
                return tonumber(ARGV[2])""", ScriptOutputType.INTEGER, new String[]{CHANNEL}, nodeId, String.valueOf(count)))
                .isEqualTo(count);
    }

    private void publish(String json) {
        assertThat(redis.publish(CHANNEL, json)).isEqualTo(2);
    }

    private static double subscribers(MeterRegistry meters) {
        return meters.get("gateway.events.subscribers").gauge().value();
    }

    private static List<Integer> range(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
}

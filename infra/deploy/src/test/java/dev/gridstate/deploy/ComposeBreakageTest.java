package dev.gridstate.deploy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each compose check, shown catching what it is for: a copy of the files broken on purpose. */
@DisplayName("infra/compose: a check catches its breakage")
@Execution(ExecutionMode.CONCURRENT) // each on its own copy; docker-compose takes a second or two a run
class ComposeBreakageTest {

    private static final String COMPOSE = "infra/compose/compose.yaml";

    /** One edit of one file, and what the check must then say. */
    record Breakage(String what, ComposeCheck check, String file, String from, String to, String expected) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Breakage> breakages() {
        return Stream.of(
                new Breakage("a misspelt setting", ComposeCheck.SETTINGS, COMPOSE,
                        "      GATEWAY_REGION: us-east\n", "      GATEWAY_REGON: us-east\n",
                        "GATEWAY_REGON is not a setting of the gateway"),
                new Breakage("a gateway not told where central is", ComposeCheck.SETTINGS, COMPOSE,
                        "      REDIS_SERVERS_CENTRAL_URI: redis://toxiproxy:16382?timeout=500ms\n", "",
                        "the gateway needs REDIS_SERVERS_CENTRAL_URI"),
                new Breakage("a Redis URI without its timeout", ComposeCheck.SETTINGS, COMPOSE,
                        "redis://redis-central:6379?timeout=2s", "redis://redis-central:6379", "has no ?timeout="),
                new Breakage("a region the replicator leaves out", ComposeCheck.REGIONS_REPLICATED, COMPOSE,
                        "REPLICATION_REGIONS: eu-west,us-east", "REPLICATION_REGIONS: eu-west", "replicates [eu-west]"),
                new Breakage("the Toxiproxy API on every interface", ComposeCheck.PORTS_ON_LOOPBACK, COMPOSE,
                        "\"127.0.0.1:8474:8474\"", "\"8474:8474\"", "publishes container port 8474 on every interface"),
                new Breakage("Toxiproxy without a healthcheck", ComposeCheck.HEALTH, COMPOSE,
                        "    healthcheck:\n      test: [\"CMD\", \"/toxiproxy-cli\", \"list\"]\n", "    x-was-healthcheck:\n",
                        "toxiproxy has no healthcheck"),
                new Breakage("the replicator started before RabbitMQ is ready", ComposeCheck.HEALTH, COMPOSE,
                        "        condition: service_healthy\n    restart: unless-stopped\n",
                        "        condition: service_started\n    restart: unless-stopped\n",
                        "waits for rabbitmq to be service_started"),
                new Breakage("an image tag the build does not make", ComposeCheck.IMAGES, COMPOSE,
                        "gridstate/replicator:${GRIDSTATE_TAG:-0.1.0-SNAPSHOT}", "gridstate/replicator:${GRIDSTATE_TAG:-0.0.9}",
                        "but the images profile tags"),
                new Breakage("central Redis without its volume", ComposeCheck.REDIS_PERSISTENCE, COMPOSE,
                        "      - central-data:/data\n", "", "on no named volume"),
                new Breakage("a regional Redis that keeps its data", ComposeCheck.REDIS_PERSISTENCE, COMPOSE,
                        "    tmpfs:\n      - /data\n    ports:\n      - \"127.0.0.1:6382:6379\"",
                        "      - ./us-east-data:/data\n    ports:\n      - \"127.0.0.1:6382:6379\"",
                        "(regional.conf) keeps its --dir on"),
                new Breakage("a proxy to a service that does not exist", ComposeCheck.PROXY_UPSTREAMS, Proxies.FILE,
                        "\"redis-us-east:6379\"", "\"redis-useast:6379\"", "which is no compose service"),
                new Breakage("a proxy to a port nothing listens on", ComposeCheck.PROXY_UPSTREAMS, Proxies.FILE,
                        "\"0.0.0.0:25674\", \"upstream\": \"rabbitmq:5672\"", "\"0.0.0.0:25674\", \"upstream\": \"rabbitmq:5673\"",
                        "which listens on 5672"),
                new Breakage("a gateway reaching its Redis around Toxiproxy", ComposeCheck.GATEWAY_LINKS, COMPOSE,
                        "redis://toxiproxy:16380?timeout=500ms", "redis://redis-us-east:6379?timeout=500ms",
                        "directly, not through Toxiproxy"),
                new Breakage("a gateway through another region's proxy", ComposeCheck.GATEWAY_LINKS, COMPOSE,
                        "amqp://${RABBITMQ_USER:?set it in infra/compose/.env}:${RABBITMQ_PASSWORD:?set it in infra/compose/.env}@toxiproxy:25674",
                        "amqp://${RABBITMQ_USER:?set it in infra/compose/.env}:${RABBITMQ_PASSWORD:?set it in infra/compose/.env}@toxiproxy:25673",
                        "goes through proxy eu-west-rabbit, but the drill faults us-east-rabbit"),
                new Breakage("the drill pointed at the wrong Redis", ComposeCheck.DRILL_FILE, ComposeSetup.DRILL_FILE,
                        "\"redis://127.0.0.1:6382\"", "\"redis://127.0.0.1:6381\"", "us-east regionalRedis is redis://127.0.0.1:6381"),
                new Breakage("the drill given a gateway compose does not publish", ComposeCheck.DRILL_FILE, ComposeSetup.DRILL_FILE,
                        "\"http://127.0.0.1:8083\"", "\"http://127.0.0.1:8084\"", "but compose publishes [http://127.0.0.1:8083]"),
                new Breakage("the drill given a proxy Toxiproxy does not have", ComposeCheck.DRILL_FILE, ComposeSetup.DRILL_FILE,
                        "\"us-east-rabbit\"", "\"us-east-amqp\"", "rabbitProxy us-east-amqp is not in"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void shouldBeCaught(Breakage breakage, @TempDir Path temp) {
        Repo broken = Repo.checkedOut().copyTo(temp.resolve("repo")).replace(breakage.file(), breakage.from(), breakage.to());

        List<String> problems = breakage.check().problems(ComposeSetup.read(broken, temp));

        assertThat(problems).as(breakage.check() + ", after: " + breakage.what())
                .anySatisfy(problem -> assertThat(problem).contains(breakage.expected()));
    }
}

package dev.gridstate.chaos;

import dev.gridstate.testkit.Deployment;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One fault, done to one region's links or processes and then lifted, and the figures that say
 * whether the deployment took it as promised.
 *
 * @param id       short name, for {@code --scenario}
 * @param title    one line for people
 * @param fault    what is done, and to what
 * @param hold     how long the fault lasts before it is lifted (zero: it is one instant, as a FLUSHALL)
 * @param replicas gateway replicas the faulted region needs
 * @param control  whether it needs the deployment's control API (it kills processes)
 * @param inject   puts the fault on
 * @param lift     takes it off
 * @param checks   the figures it is judged by
 */
record Scenario(String id, String title, String fault, Duration hold, int replicas, boolean control, Action inject,
                Action lift, Set<Check> checks) {

    /** What a scenario does to the deployment, to the region under test. */
    interface Action {
        void on(Faults faults, Deployment.Region region) throws Exception;
    }

    /** The figures, each with its limit; see {@link DrillRunner}. */
    enum Check {
        /** Client calls failed once the gateway had failed over (its breaker open, or serving from central): 0. */
        FAILED_AFTER_FAILOVER,
        /** Node queries failed at any time of the scenario: 0. */
        READS_FAILED,
        /** From the fault to the breaker open: at most {@link DrillRunner#OPEN_WITHIN}. */
        TIME_TO_OPEN,
        /** From the fault lifted until every live node is online again: one heartbeat interval + 1 s. */
        NODES_BACK,
        /** Jobs accepted (202) that did not succeed: 0. */
        JOBS_LOST,
        /** Jobs that got a second result: 0. */
        JOBS_TWICE,
        /** Entities that differ between the region and central once the fault is lifted: 0. */
        CENTRAL_EQUAL
    }

    private static final Set<Check> JOBS = EnumSet.of(Check.JOBS_LOST, Check.JOBS_TWICE, Check.CENTRAL_EQUAL);

    /** The latency the slow scenario adds by default: between the gateway's default slow-call threshold (25 ms) and timeout (50 ms). */
    static final Duration SLOW = Duration.ofMillis(40);

    /** The seven scenarios of the chaos suite, in the order a drill runs them, with the default {@link #SLOW}. */
    static List<Scenario> all() {
        return all(SLOW);
    }

    /**
     * The seven scenarios; the slow one adds {@code slow} to every regional Redis answer, which
     * must be above the gateways' regional slow-call threshold and below their regional timeout.
     */
    static List<Scenario> all(Duration slow) {
        return List.of(
                new Scenario("regional-redis-killed", "The regional Redis is killed, then restarted empty",
                        "SIGKILL of the region's Redis; after the hold it starts again with no data", Duration.ofSeconds(6), 1,
                        true, (f, r) -> f.control("redis/" + r.name() + "/kill"),
                        (f, r) -> f.control("redis/" + r.name() + "/restart"),
                        with(Check.FAILED_AFTER_FAILOVER, Check.TIME_TO_OPEN, Check.NODES_BACK)),
                new Scenario("regional-redis-slow", "The regional Redis answers slowly, then is healthy again",
                        "a " + slow.toMillis() + " ms latency toxic on the region's Redis link, above the slow-call threshold and below the timeout",
                        Duration.ofSeconds(6), 1, false, (f, r) -> f.slow(r.redisProxy(), "drill-latency", slow.toMillis()),
                        (f, r) -> f.removeToxic(r.redisProxy(), "drill-latency"),
                        with(Check.FAILED_AFTER_FAILOVER, Check.TIME_TO_OPEN)),
                new Scenario("regional-redis-flushed", "The regional Redis loses its data without a disconnect",
                        "FLUSHALL on the region's Redis, its connections untouched", Duration.ZERO, 1, false,
                        (f, r) -> f.flush(r.regionalRedis()), (f, r) -> { },
                        with(Check.READS_FAILED, Check.NODES_BACK)),
                new Scenario("central-redis-killed", "Central Redis is killed, then restarted from its AOF",
                        "SIGKILL of central Redis; after the hold it starts again and replays its AOF", Duration.ofSeconds(6), 1,
                        true, (f, r) -> f.control("redis/central/kill"), (f, r) -> f.control("redis/central/restart"),
                        with(Check.READS_FAILED)),
                new Scenario("rabbitmq-cut", "RabbitMQ is cut off from the gateways, then back",
                        "every region's RabbitMQ proxy disabled: live connections closed, new ones refused", Duration.ofSeconds(6), 1,
                        false, (f, r) -> {
                            for (Deployment.Region each : f.deployment().regions()) {
                                f.cut(each.rabbitProxy());
                            }
                        }, (f, r) -> {
                            for (Deployment.Region each : f.deployment().regions()) {
                                f.restore(each.rabbitProxy());
                            }
                        }, with(Check.READS_FAILED)),
                new Scenario("gateway-killed", "A gateway replica is killed in the middle of jobs",
                        "SIGKILL of the region's second gateway replica; after the hold it starts again", Duration.ofSeconds(6), 2,
                        true, (f, r) -> f.control("gateways/" + r.gatewayNames().get(1) + "/kill"),
                        (f, r) -> f.control("gateways/" + r.gatewayNames().get(1) + "/start"),
                        with(Check.READS_FAILED)),
                new Scenario("central-partition", "The region is cut off from central, then healed",
                        "the region's link to central Redis disabled", Duration.ofSeconds(6), 1, false,
                        (f, r) -> f.cut(r.centralProxy()), (f, r) -> f.restore(r.centralProxy()),
                        with(Check.READS_FAILED)));
    }

    private static Set<Check> with(Check... checks) {
        Set<Check> all = EnumSet.copyOf(JOBS);
        all.addAll(List.of(checks));
        return all;
    }
}

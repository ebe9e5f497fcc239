package dev.gridstate.agent.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link SimulatedFleet} from the command line until Ctrl-C or {@code --duration}, printing
 * the fleet's counters every 10 seconds. Run with {@code --help} for the options.
 */
public final class FleetMain {

    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);
    private static final String LOGBACK_CONFIG = "logback.configurationFile";

    private FleetMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before the first logger exists; an explicit -Dlogback.configurationFile wins
        if (System.getProperty(LOGBACK_CONFIG) == null) {
            System.setProperty(LOGBACK_CONFIG, "dev/gridstate/agent/sim/fleet-logback.xml");
        }
        FleetArgs options;
        try {
            options = FleetArgs.parse(args);
        } catch (FleetArgs.UsageException e) {
            System.err.println(e.getMessage());
            System.err.print(FleetArgs.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(FleetArgs.USAGE);
            return;
        }
        run(options);
    }

    private static void run(FleetArgs options) throws InterruptedException {
        SimulatedFleetBuilder builder = SimulatedFleet.builder()
                .nodesPerRegion(options.nodesPerRegion())
                .seed(options.seed())
                .schedulerThreads(options.threads());
        options.gateways().forEach(builder::region);
        options.churnPeriod().ifPresent(builder::churnPeriod);
        if (options.jobs()) {
            builder.jobs(EchoWork::run);
        }
        SimulatedFleet fleet = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stopped.countDown();
        }, "fleet-shutdown"));
        fleet.start();
        System.out.printf("simulating %d nodes in %d agents for %s; Ctrl-C to stop%n",
                fleet.nodeIds().size(), fleet.agentCount(), options.gateways());
        Instant deadline = options.duration().map(Instant.now()::plus).orElse(Instant.MAX);
        while (Instant.now().isBefore(deadline)) {
            Duration untilDeadline = Duration.between(Instant.now(), deadline);
            Duration wait = untilDeadline.compareTo(REPORT_EVERY) < 0 ? untilDeadline : REPORT_EVERY;
            if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                break;
            }
            System.out.printf("%s registered=%d/%d %s%n", Instant.now(), fleet.registeredNodes(),
                    fleet.nodeIds().size(), fleet.counters());
        }
        System.out.printf("final %s%n", fleet.counters());
        System.exit(0);
    }
}

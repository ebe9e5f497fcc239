package dev.gridstate.agent.sim;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command line of {@link FleetMain}, parsed by hand (no CLI library). */
record FleetArgs(Map<String, List<URI>> gateways, int nodesPerRegion, long seed, int threads,
                 Optional<Duration> churnPeriod, Optional<Duration> duration, boolean jobs, boolean help) {

    static final String USAGE = """
            usage: FleetMain --gateway REGION=URL[,URL...] [--gateway ...] [options]
              --gateway REGION=URL[,URL...]  gateway URLs of a region (repeat for more regions)
              --nodes N                      simulated nodes per region (default %d)
              --seed S                       seed of the simulated nodes (default %d)
              --threads T                    scheduler threads shared by all agents (default %d)
              --churn-period D               how often some nodes flip idle/busy, e.g. 10s (default %ds)
              --duration D                   stop after D, e.g. 90s or 5m (default: run until Ctrl-C)
              --jobs                         the nodes take jobs: a 20-200 ms pretend inference echoing the payload
              --help                         print this and exit
            """.formatted(SimulatedFleetBuilder.DEFAULT_NODES_PER_REGION, SimulatedFleetBuilder.DEFAULT_SEED,
            SimulatedFleetBuilder.DEFAULT_SCHEDULER_THREADS, SimulatedFleetBuilder.DEFAULT_CHURN_PERIOD.toSeconds());

    /** A command line that cannot be run; the message says which argument is wrong. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static FleetArgs parse(String... args) {
        Map<String, List<URI>> gateways = new LinkedHashMap<>();
        int nodes = SimulatedFleetBuilder.DEFAULT_NODES_PER_REGION;
        long seed = SimulatedFleetBuilder.DEFAULT_SEED;
        int threads = SimulatedFleetBuilder.DEFAULT_SCHEDULER_THREADS;
        Optional<Duration> churn = Optional.empty();
        Optional<Duration> duration = Optional.empty();
        boolean jobs = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return new FleetArgs(gateways, nodes, seed, threads, churn, duration, jobs, true);
            }
            if (flag.equals("--jobs")) {
                jobs = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException("missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--gateway" -> addGateway(gateways, value);
                case "--nodes" -> nodes = (int) number(flag, value);
                case "--seed" -> seed = number(flag, value);
                case "--threads" -> threads = (int) number(flag, value);
                case "--churn-period" -> churn = Optional.of(duration(flag, value));
                case "--duration" -> duration = Optional.of(duration(flag, value));
                default -> throw new UsageException("unknown option '" + flag + "'");
            }
        }
        if (gateways.isEmpty()) {
            throw new UsageException("at least one --gateway REGION=URL is required");
        }
        return new FleetArgs(gateways, nodes, seed, threads, churn, duration, jobs, false);
    }

    private static void addGateway(Map<String, List<URI>> gateways, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new UsageException("--gateway wants REGION=URL[,URL...], but was '" + value + "'");
        }
        List<URI> uris = new ArrayList<>(gateways.getOrDefault(value.substring(0, eq), List.of()));
        for (String url : value.substring(eq + 1).split(",")) {
            try {
                uris.add(URI.create(url.trim()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--gateway has a bad URL '" + url + "': " + e.getMessage());
            }
        }
        gateways.put(value.substring(0, eq), List.copyOf(uris));
    }

    private static long number(String flag, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " wants a number, but was '" + value + "'");
        }
    }

    /** {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT10S}). */
    static Duration duration(String flag, String value) {
        try {
            if (value.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.matches("\\d+[smh]")) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                return switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UsageException(flag + " wants a duration such as 10s, 500ms or PT1M, but was '" + value + "'");
        }
    }
}

package io.undermoon.cli;

import io.undermoon.chaos.ChaosAction;
import io.undermoon.chaos.ChaosOptions;
import io.undermoon.chaos.ChaosReport;
import io.undermoon.chaos.ChaosRun;
import io.undermoon.chaos.ReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code undermoon chaos}: starts a local system (Redis with append-only files), injects faults for
 * the given time while checker clients verify every read, and prints the report. Exit status 0 when
 * every target is met, 1 when one is missed, 2 for bad options.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Runs the chaos harness on a local system: kills and restarts proxies, Redis, the coordinator and the"
                + " broker (with --etcd: several brokers on etcd, etcd members, whole hosts), scales and creates/deletes clusters at random (seeded) moments while checker clients write"
                + " unique values and read them back; then reports operations, faults, lost writes, wrong reads,"
                + " the longest unavailability and the convergence time.",
            "Exit status: 0 every target met, 1 a target missed, 2 bad options."})
public final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long faults are injected, e.g. 90s, 5m, 1h (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--seed", description = "seed of the fault schedule and the clients (default: the current time)")
    Long seed;

    @Option(names = "--proxies", defaultValue = "9", description = "server proxies, each with 2 Redis (default ${DEFAULT-VALUE})")
    int proxies;

    @Option(names = "--hosts", defaultValue = "3", description = "simulated hosts (default ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--clients", defaultValue = "3", description = "checker clients on the main cluster (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--keys", defaultValue = "200", description = "keys per checker client (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--ballast", defaultValue = "20000",
            description = "keys written once into the main cluster and read back at the end (default ${DEFAULT-VALUE})")
    int ballast;

    @Option(names = "--rate", defaultValue = "150", description = "commands per second per checker client (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--interval", defaultValue = "8s", converter = DurationConverter.class,
            description = "mean pause between two actions (default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--max-concurrent-faults", defaultValue = "2", description = "kills in progress at once (default ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--actions", split = ",", description = "actions to draw from (default all): ${COMPLETION-CANDIDATES}")
    List<ChaosAction> actions;

    @Option(names = "--loss-window", defaultValue = "2000", description = "failover replication window, ms (default ${DEFAULT-VALUE})")
    long lossWindow;

    @Option(names = "--convergence-timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "how long convergence is waited for after the faults (default ${DEFAULT-VALUE}; the target is 30 s)")
    Duration convergenceTimeout;

    @Option(names = "--etcd", description = "the store on a 3-member etcd cluster served by 3 brokers (broker i and etcd member i"
            + " on host i), the coordinator given every broker address; adds kill -9 and SIGSTOP of any broker, kill -9 of an etcd"
            + " member, the loss of a whole host (broker, etcd member, proxy and its Redis) and a broker loss followed at once by"
            + " a master proxy kill (timed failover); reports acknowledged metadata changes lost and epoch regressions")
    boolean etcd;

    @Option(names = "--redis-defaults", description = "run Redis with its default repl-diskless-sync-delay (5 s) instead of 0, as a"
            + " user's plain redis-server: a replica's first sync then waits 5 s")
    boolean redisDefaults;

    @Option(names = "--report", description = "also write the Markdown report to this file")
    Path report;

    @Option(names = "--json", description = "also write the report as JSON (with every event) to this file")
    Path json;

    @Option(names = "--data-dir", description = "metadata and logs of the local system (default: a temporary directory)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        ChaosOptions options;
        try {
            ChaosOptions.Builder b = ChaosOptions.builder().duration(duration).proxies(proxies).hosts(hosts)
                    .clientsPerCluster(clients).keysPerClient(keys).ballastKeys(ballast).opsPerSecond(rate).meanFaultInterval(interval)
                    .maxConcurrentFaults(maxConcurrent).lossWindowMillis(lossWindow)
                    .convergenceTimeout(convergenceTimeout).etcd(etcd).redisDisklessSyncDelay(redisDefaults ? 5 : 0);
            if (actions != null && !actions.isEmpty()) {
                // otherwise every action of the mode: the classic ones, and with --etcd the etcd ones too
                b.actions(EnumSet.copyOf(actions));
            }
            if (seed != null) {
                b.seed(seed);
            }
            if (dataDir != null) {
                // a chaos run needs a fresh system (with --etcd the store is in fresh etcd members: the meta file stays empty): the broker would recover an earlier run's clusters
                if (Files.isRegularFile(dataDir.resolve("metadata")) && Files.size(dataDir.resolve("metadata")) > 0) {
                    throw new IllegalArgumentException("--data-dir " + dataDir + " holds the metadata of an earlier run; give an empty directory");
                }
                b.dataDir(dataDir.toAbsolutePath());
            }
            options = b.build();
        } catch (IllegalArgumentException e) {
            System.err.println("undermoon chaos: " + e.getMessage());
            return 2;
        }
        List<String> args = new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.getFirst().equals("chaos")) {
            args.removeFirst();
        }
        String command = "./undermoon chaos " + String.join(" ", args) + (seed == null ? " (seed " + options.seed() + ")" : "");
        ChaosReport r = ChaosRun.run(options);
        String text = ReportText.markdown(r, command.strip());
        System.out.println(text);
        if (report != null) {
            Files.writeString(report, text);
        }
        if (json != null) {
            Files.writeString(json, ReportText.json(r));
        }
        return r.targetsMet() ? 0 : 1;
    }

    /** 90s, 5m, 1h, 500ms, or an ISO-8601 duration (PT5M). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = SIMPLE.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            try {
                return Duration.parse(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (90s, 5m, 1h, 500ms)");
            }
        }
    }
}

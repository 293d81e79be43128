package io.undermoon.coordinator;

import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the coordinator as a program until SIGTERM or Ctrl-C: {@code CoordinatorMain [CONFIG.toml]},
 * with {@code UNDERMOON_*} variables over the file. {@code ./undermoon coordinator} calls {@link #run}.
 */
public final class CoordinatorMain {
    private CoordinatorMain() {}

    public static void main(String[] args) {
        int code = run(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Loads the configuration, starts the coordinator and blocks until the JVM is asked to stop; the
     * shutdown hook closes it.
     *
     * @return the exit code: 2 for a configuration error, 1 if the coordinator could not start or a
     *         loop died
     */
    public static int run(Optional<Path> configFile, Map<String, String> env) {
        CoordinatorConfig config;
        try {
            config = CoordinatorConfig.from(ConfigSource.load(configFile, env));
        } catch (ConfigException e) {
            System.err.println("undermoon coordinator: " + e.getMessage());
            return 2;
        }
        Coordinator coordinator;
        try {
            coordinator = Coordinator.start(config);
        } catch (CoordinatorStartException e) {
            System.err.println("undermoon coordinator: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(coordinator::close, "coordinator-shutdown"));
        try {
            coordinator.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            coordinator.close();
        }
        if (coordinator.failed()) {
            System.err.println("undermoon coordinator: stopped because a loop died (see the log)");
            return 1;
        }
        return 0;
    }
}

package io.undermoon.broker;

import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the broker as a program until SIGTERM or Ctrl-C: {@code BrokerMain [CONFIG.toml]}, with
 * {@code UNDERMOON_*} variables over the file. {@code ./undermoon broker} calls {@link #run}.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) {
        int code = run(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Loads the configuration, starts the broker and blocks until the JVM is asked to stop; the
     * shutdown hook closes the broker (with its final meta-file write).
     *
     * @return the exit code: 2 for a configuration error, 1 if the broker could not start
     */
    public static int run(Optional<Path> configFile, Map<String, String> env) {
        BrokerConfig config;
        try {
            config = BrokerConfig.from(ConfigSource.load(configFile, env));
        } catch (ConfigException e) {
            System.err.println("undermoon broker: " + e.getMessage());
            return 2;
        }
        MemBroker broker;
        try {
            broker = MemBroker.start(config);
        } catch (BrokerStartException e) {
            System.err.println("undermoon broker: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
        }
        return 0;
    }
}

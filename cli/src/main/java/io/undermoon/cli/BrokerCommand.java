package io.undermoon.cli;

import io.undermoon.broker.BrokerMain;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code undermoon broker [CONFIG.toml]}: runs the memory broker until SIGTERM or Ctrl-C; the
 * shutdown writes the meta file a last time when writing is enabled. Every key can also be set with
 * an {@code UNDERMOON_<KEY>} environment variable, which wins over the file.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs the memory broker: the metadata store and HTTP API (/api/v3) of the cluster system.",
            "Configuration: the optional TOML file (see conf/mem-broker.toml), overridden by UNDERMOON_* variables."})
public final class BrokerCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "TOML config file (the .toml extension may be omitted)")
    Path config;

    @Override
    public Integer call() {
        return BrokerMain.run(Optional.ofNullable(config), System.getenv());
    }
}

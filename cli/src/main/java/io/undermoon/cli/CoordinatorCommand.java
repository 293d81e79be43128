package io.undermoon.cli;

import io.undermoon.coordinator.CoordinatorMain;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code undermoon coordinator [CONFIG.toml]}: runs the coordinator until SIGTERM or Ctrl-C, then
 * stops its loops and its admin port. Every key can also be set with an {@code UNDERMOON_<KEY>}
 * environment variable, which wins over the file.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = {"Runs the coordinator: keeps the proxies in sync with the broker, detects failed proxies,"
                + " triggers failover and commits finished migrations.",
            "Configuration: the optional TOML file (see conf/coordinator.toml), overridden by UNDERMOON_* variables."})
public final class CoordinatorCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "TOML config file (the .toml extension may be omitted)")
    Path config;

    @Override
    public Integer call() {
        return CoordinatorMain.run(Optional.ofNullable(config), System.getenv());
    }
}

package io.undermoon.cli;

import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code undermoon proxy [CONFIG.toml]}: runs a server proxy until stopped. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run a server proxy. Settings come from CONFIG (TOML) and UNDERMOON_* environment variables.")
public final class ProxyCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "TOML config file (extension optional)")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        ProxyConfig config;
        try {
            config = ProxyConfig.load(ConfigSource.load(Optional.ofNullable(configFile), System.getenv()));
        } catch (ConfigException e) {
            System.err.println("undermoon proxy: " + e.getMessage());
            return 2;
        }
        ServerProxy proxy = ServerProxy.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "proxy-shutdown"));
        proxy.awaitTermination();
        return 0;
    }
}

package io.undermoon.cli.ctl;

import picocli.CommandLine.Option;

/** The options every {@code ctl} command takes. */
public final class CtlOptions {
    @Option(names = {"-b", "--broker"}, paramLabel = "HOST:PORT",
            defaultValue = "${env:UNDERMOON_BROKER_ADDRESS:-127.0.0.1:7799}",
            description = "broker HTTP address (default: $UNDERMOON_BROKER_ADDRESS, else 127.0.0.1:7799; now ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--json", description = "print JSON for scripts instead of tables")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "connect and answer timeout of each broker call (default ${DEFAULT-VALUE})")
    int timeoutSeconds;
}

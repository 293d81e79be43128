package io.undermoon.cli;

import io.undermoon.cli.ctl.CtlCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code undermoon proxy|broker|coordinator|local|chaos|ctl}. */
@Command(name = "undermoon", mixinStandardHelpOptions = true, version = "undermoon 0.1.0 (compatible with undermoon 0.6.2)",
        description = "A self-managed Redis clustering system.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ProxyCommand.class,
            BrokerCommand.class,
            CoordinatorCommand.class,
            LocalCommand.class,
            ChaosCommand.class,
            AotTrainCommand.class,
            CtlCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}

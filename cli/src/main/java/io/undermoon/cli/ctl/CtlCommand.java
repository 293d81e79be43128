package io.undermoon.cli.ctl;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code undermoon ctl}: the broker's HTTP API as a command line (docs/ctl.md). The broker address
 * comes from {@code --broker} or {@code UNDERMOON_BROKER_ADDRESS}; {@code --json} everywhere; exit
 * codes in {@link ExitCodes}.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = "Operate a running system through its broker: status, clusters, proxies, failures, epoch, config.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the broker refused the request (its error is printed), or the request failed",
            "2:bad arguments",
            "3:the broker could not be reached (wrong address, nothing listening, no answer in --timeout)",
            "4:--wait gave up after --wait-timeout (the operation goes on)",
            "130:Ctrl-C while watching (the operation goes on)"},
        subcommands = {
            CommandLine.HelpCommand.class,
            StatusCommand.class,
            ClusterCommand.class,
            ProxyCommand.class,
            SmallCommands.Failures.class,
            SmallCommands.Epoch.class,
            SmallCommands.Config.class,
            AutoComplete.GenerateCompletion.class,
        })
public final class CtlCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

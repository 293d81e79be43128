package io.undermoon.cli.ctl;

import io.undermoon.model.Json;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ctl cluster create|delete|scale}. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Create, delete and scale clusters.",
        subcommands = {ClusterCommand.Create.class, ClusterCommand.Delete.class, ClusterCommand.Scale.class})
final class ClusterCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a cluster of N Redis nodes (a multiple of 4).")
    static final class Create extends CtlAction {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "N", description = "Redis nodes, a multiple of 4")
        long nodes;

        @Option(names = "--wait", description = "return when every proxy of the cluster serves it (UMCTL GETEPOCH)")
        boolean await;

        @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "give up waiting after this long (exit 4) (default ${DEFAULT-VALUE})")
        int waitTimeoutSeconds;

        @Override
        int run(BrokerApi api) throws CtlException {
            api.send("POST", "/api/v3/clusters/meta/" + name, json(Map.of("node_number", nodes)));
            if (await) {
                long deadline = System.nanoTime() + Duration.ofSeconds(waitTimeoutSeconds).toNanos();
                while (true) {
                    var c = api.metadata().clusters().get(name);
                    if (c == null) {
                        throw new CtlException(ExitCodes.FAILED, "cluster " + name + " disappeared from the broker");
                    }
                    if (ScaleWatch.proxiesAtEpoch(c, true)) {
                        break;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new CtlException(ExitCodes.WAIT_TIMEOUT, "cluster " + name + " was created but its proxies "
                                + c.proxyAddresses() + " do not all serve epoch " + c.epoch() + " after " + waitTimeoutSeconds
                                + " s (is a coordinator running, and are the proxies reachable from here?)");
                    }
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CtlException(ExitCodes.INTERRUPTED, "interrupted");
                    }
                }
            }
            if (options.json) {
                printJson(Map.of("created", name, "node_number", nodes));
            } else {
                out().println("cluster " + name + " created with " + nodes + " nodes");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a cluster; its proxies become free.")
    static final class Delete extends CtlAction {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(BrokerApi api) throws CtlException {
            api.send("DELETE", "/api/v3/clusters/meta/" + name, null);
            if (options.json) {
                printJson(Map.of("deleted", name));
            } else {
                out().println("cluster " + name + " deleted");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = {"Scale a cluster to N nodes (out or in): the broker's auto-scale, which waits for the new",
                "proxies to be synced and then plans the slot migrations. With --wait, shows the progress and returns",
                "when the cluster has settled; Ctrl-C stops watching and leaves the migration running."})
    static final class Scale extends CtlAction {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "N", description = "Redis nodes wanted, a multiple of 4")
        long nodes;

        @Option(names = "--wait", description = "watch the migration until the cluster has settled")
        boolean await;

        @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "3600",
                description = "give up watching after this long (exit 4; the migration goes on) (default ${DEFAULT-VALUE})")
        int waitTimeoutSeconds;

        @Option(names = "--scale-timeout", paramLabel = "SECONDS", defaultValue = "330",
                description = "how long the broker may take to answer the scale call, which waits for the proxies "
                        + "(the broker's own limit is auto_scale_timeout, 300 s by default) (default ${DEFAULT-VALUE})")
        int scaleTimeoutSeconds;

        @Override
        int run(BrokerApi api) throws CtlException {
            if (nodes <= 0 || nodes % 4 != 0) {
                throw new CtlException(ExitCodes.USAGE, "N must be a positive multiple of 4, got " + nodes);
            }
            // fail fast on a wrong address or an unknown cluster before the long call
            var before = api.metadata().clusters().get(name);
            if (before == null) {
                throw new CtlException(ExitCodes.FAILED, "broker " + api.broker() + ": no cluster named '" + name + "'");
            }
            ScaleWatch watch = new ScaleWatch(api, name, nodes, out(), options.json, Terminal.isTerminal(),
                    Duration.ofSeconds(waitTimeoutSeconds));
            if (await) {
                watch.takeBaseline(before);
            }
            api.send("POST", "/api/v3/clusters/migrations/auto/" + name + "/" + nodes, null,
                    Duration.ofSeconds(Math.max(1, scaleTimeoutSeconds)));
            if (!await) {
                if (options.json) {
                    printJson(Map.of("cluster", name, "node_number", nodes, "started", true));
                } else {
                    out().println("cluster " + name + ": scaling to " + nodes + " nodes started; follow it with "
                            + "'undermoon ctl status' or the dashboard at http://" + api.broker() + "/ui/");
                }
                return ExitCodes.OK;
            }
            return watch.run();
        }
    }

    static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

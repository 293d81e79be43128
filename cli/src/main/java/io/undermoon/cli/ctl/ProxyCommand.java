package io.undermoon.cli.ctl;

import io.undermoon.broker.overview.Overviews;
import io.undermoon.model.Json;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ctl proxy add|remove|list}. */
@Command(name = "proxy", mixinStandardHelpOptions = true, description = "Register, remove and list server proxies.",
        subcommands = {ProxyCommand.Add.class, ProxyCommand.Remove.class, ProxyCommand.ListProxies.class})
final class ProxyCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a proxy and its two Redis nodes.")
    static final class Add extends CtlAction {
        @Parameters(index = "0", paramLabel = "PROXY", description = "the proxy's HOST:PORT")
        String proxy;

        @Parameters(index = "1", paramLabel = "NODE1", description = "first Redis HOST:PORT")
        String node1;

        @Parameters(index = "2", paramLabel = "NODE2", description = "second Redis HOST:PORT")
        String node2;

        @Option(names = "--host", description = "the failure domain (default: the proxy's host)")
        String host;

        @Option(names = "--index", description = "StatefulSet index (enable_ordered_proxy mode)")
        Long index;

        @Override
        int run(BrokerApi api) throws CtlException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("proxy_address", proxy);
            body.put("nodes", List.of(node1, node2));
            if (host != null) {
                body.put("host", host);
            }
            if (index != null) {
                body.put("index", index);
            }
            try {
                api.send("POST", "/api/v3/proxies/meta", Json.mapper().writeValueAsString(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            if (options.json) {
                printJson(Map.of("added", proxy));
            } else {
                out().println("proxy " + proxy + " added");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a free (or failed) proxy.")
    static final class Remove extends CtlAction {
        @Parameters(index = "0", paramLabel = "PROXY")
        String proxy;

        @Override
        int run(BrokerApi api) throws CtlException {
            api.send("DELETE", "/api/v3/proxies/meta/" + proxy, null);
            if (options.json) {
                printJson(Map.of("removed", proxy));
            } else {
                out().println("proxy " + proxy + " removed");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every registered proxy with its host, state and cluster.")
    static final class ListProxies extends CtlAction {
        @Override
        int run(BrokerApi api) throws CtlException {
            MetaStore s = api.metadata();
            List<Map<String, Object>> rows = new ArrayList<>();
            Table t = new Table("PROXY", "HOST", "STATE", "CLUSTER", "NODES");
            for (ProxyResource p : s.allProxies().values()) {
                String state = Overviews.state(s, p);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("proxy_address", p.proxyAddress());
                r.put("host", p.host());
                r.put("state", state);
                r.put("cluster", p.cluster());
                r.put("nodes", p.nodeAddresses());
                rows.add(r);
                t.row(p.proxyAddress(), p.host(), state, p.cluster(), String.join(",", p.nodeAddresses()));
            }
            if (options.json) {
                printJson(rows);
            } else {
                t.print(out());
            }
            return ExitCodes.OK;
        }
    }
}

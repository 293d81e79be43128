package io.undermoon.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.Json;
import io.undermoon.model.broker.MetaStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl failures}, {@code ctl epoch}, {@code ctl config get|set}. */
final class SmallCommands {
    private SmallCommands() {}

    @Command(name = "failures", mixinStandardHelpOptions = true,
            description = "Proxies reported as failed: who reported them, and whether the quorum was reached.")
    static final class Failures extends CtlAction {
        @Override
        int run(BrokerApi api) throws CtlException {
            JsonNode quorum = api.getJson("/api/v3/failures").path("addresses");
            List<String> reached = new ArrayList<>();
            quorum.forEach(n -> reached.add(n.asText()));
            MetaStore s = api.metadata();
            List<Map<String, Object>> rows = new ArrayList<>();
            Table t = new Table("PROXY", "REPORTERS", "QUORUM REACHED", "FAILED OVER");
            java.util.Set<String> all = new java.util.TreeSet<>(s.failures().keySet());
            all.addAll(reached);
            all.addAll(s.failedProxies());
            for (String p : all) {
                List<String> reporters = s.failures().containsKey(p) ? List.copyOf(s.failures().get(p).keySet()) : List.of();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("proxy_address", p);
                r.put("reporters", reporters);
                r.put("quorum_reached", reached.contains(p));
                r.put("failed_over", s.failedProxies().contains(p));
                rows.add(r);
                t.row(p, reporters.isEmpty() ? "-" : String.join(",", reporters), reached.contains(p) ? "yes" : "no",
                        s.failedProxies().contains(p) ? "yes" : "no");
            }
            if (options.json) {
                printJson(rows);
            } else if (rows.isEmpty()) {
                out().println("no failure reported, no failed proxy");
            } else {
                t.print(out());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "epoch", mixinStandardHelpOptions = true, description = "The broker's global epoch.")
    static final class Epoch extends CtlAction {
        @Override
        int run(BrokerApi api) throws CtlException {
            String epoch = api.get("/api/v3/epoch").strip();
            if (options.json) {
                printJson(Map.of("global_epoch", Long.parseLong(epoch)));
            } else {
                out().println(epoch);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, description = "Read or change a cluster's config.",
            subcommands = {ConfigGet.class, ConfigSet.class})
    static final class Config {}

    @Command(name = "get", mixinStandardHelpOptions = true, description = "A cluster's config fields.")
    static final class ConfigGet extends CtlAction {
        @Parameters(index = "0", paramLabel = "CLUSTER")
        String cluster;

        @Override
        int run(BrokerApi api) throws CtlException {
            JsonNode c = api.getJson("/api/v3/clusters/meta/" + cluster).path("cluster");
            if (c.isNull() || c.isMissingNode()) {
                throw new CtlException(ExitCodes.FAILED, "broker " + api.broker() + ": no cluster named '" + cluster + "'");
            }
            Map<String, String> fields;
            try {
                fields = new LinkedHashMap<>(Json.mapper().treeToValue(c.path("config"), ClusterConfig.class).toFlatMap());
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new CtlException(ExitCodes.FAILED, "broker " + api.broker() + ": unreadable cluster config: " + e.getMessage());
            }
            if (fields.containsKey("password")) {
                fields.put("password", "(set)");
            }
            if (options.json) {
                printJson(fields);
            } else {
                Table t = new Table("FIELD", "VALUE");
                fields.forEach(t::row);
                t.print(out());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change one config field of a cluster (the broker checks the name and the value).")
    static final class ConfigSet extends CtlAction {
        @Parameters(index = "0", paramLabel = "CLUSTER")
        String cluster;

        @Parameters(index = "1", paramLabel = "FIELD", description = "e.g. compression_strategy, migration_scan_count")
        String field;

        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        int run(BrokerApi api) throws CtlException {
            try {
                api.send("PATCH", "/api/v3/clusters/config/" + cluster, Json.mapper().writeValueAsString(Map.of(field, value)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            if (options.json) {
                printJson(Map.of("cluster", cluster, "field", field, "value", value));
            } else {
                out().println("cluster " + cluster + ": " + field + " = " + value);
            }
            return ExitCodes.OK;
        }
    }
}

package io.undermoon.it;

import io.undermoon.local.BrokerHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.Coordinator;
import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.testkit.PrometheusText;
import io.undermoon.process.Repository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;

/**
 * Every query of the Grafana dashboard (docs/grafana/undermoon-dashboard.json) names only metrics
 * that the three programs export: the names are read from the /metrics of a real proxy, a real
 * broker (with a cluster in the middle of an expand) and a real coordinator, each parsed with a
 * real Prometheus text-format parser.
 */
class GrafanaDashboardIT {
    static final Path DASHBOARD = Path.of("docs", "grafana", "undermoon-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bundermoon_[a-zA-Z0-9_:]+");

    @Test
    void everyQueryNamesAnExportedMetric() throws Exception {
        Set<String> exported = new TreeSet<>();
        try (TwoProxyCluster proxies = TwoProxyCluster.start(Map.of("metrics_address", "127.0.0.1:0"));
             MemBroker broker = MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0"))));
             HttpClient http = HttpClient.newHttpClient()) {
            String api = "http://" + broker.address() + "/api/v3";
            for (int k = 0; k < 4; k++) {
                send(http, "POST", api + "/proxies/meta", BrokerHttp.json(Map.of("proxy_address", "127.0.0.1:" + (16000 + k),
                        "nodes", List.of("127.0.0.1:" + (17000 + 2 * k), "127.0.0.1:" + (17001 + 2 * k)), "host", "h" + (k % 2))));
            }
            send(http, "POST", api + "/clusters/meta/c1", BrokerHttp.json(Map.of("node_number", 4)));
            send(http, "PATCH", api + "/clusters/nodes/c1", BrokerHttp.json(Map.of("node_number", 4)));
            send(http, "POST", api + "/clusters/migrations/expand/c1", null);
            send(http, "POST", api + "/failures/127.0.0.1:16000/r1", null);
            try (Coordinator c = Coordinator.start(CoordinatorConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0",
                    "broker_address", broker.address(), "metrics_address", "127.0.0.1:0", "loop_interval_ms", 100L))))) {
                org.awaitility.Awaitility.await().until(() -> c.loops().stream().allMatch(l -> l.rounds() > 0));
                addNames(exported, PrometheusText.scrape("127.0.0.1:" + c.metricsPort()));
            }
            addNames(exported, PrometheusText.scrape(broker.address()));
            addNames(exported, PrometheusText.scrape("127.0.0.1:" + proxies.proxy1.metricsPort()));
        }

        JsonNode dash = new ObjectMapper().readTree(Repository.root().resolve(DASHBOARD).toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                exprs.add(t.path("expr").asText());
            }
        }
        assertThat(exprs).hasSizeGreaterThan(20);
        Set<String> used = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            boolean any = false;
            while (m.find()) {
                used.add(m.group());
                any = true;
            }
            assertThat(any).as("query names an undermoon metric: " + e).isTrue();
        }
        assertThat(exported).as("exported sample names").contains("undermoon_broker_clusters",
                "undermoon_coordinator_round_duration_seconds_bucket", "undermoon_proxy_commands_total");
        assertThat(used).as("metrics named by the dashboard but exported by no program").isSubsetOf(exported);
        // and every program has a row of its own
        assertThat(used).anyMatch(n -> n.startsWith("undermoon_broker_")).anyMatch(n -> n.startsWith("undermoon_coordinator_"))
                .anyMatch(n -> n.startsWith("undermoon_proxy_"));
    }

    /** Sample names as a query sees them: a histogram's _bucket, _sum and _count, a counter's name with _total. */
    private static void addNames(Set<String> out, Map<String, MetricFamily> families) {
        for (MetricFamily f : families.values()) {
            if (f.getType() == MetricType.HISTOGRAM) {
                out.add(f.getName() + "_bucket");
                out.add(f.getName() + "_sum");
                out.add(f.getName() + "_count");
            } else {
                out.add(f.getName());
            }
        }
    }

    private static void send(HttpClient http, String method, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isEqualTo(200);
    }
}

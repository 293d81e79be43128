package io.undermoon.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.testkit.PrometheusText;
import io.undermoon.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;

/** The broker's /metrics (read with a real Prometheus text parser), /ui/ and its overview, and enable_ui = false. */
class BrokerMetricsIT {

    private static void setUp(ApiClient api) {
        for (int k = 0; k < 6; k++) {
            assertThat(api.addProxy("127.0.0.1:" + (6000 + k), "127.0.0.1:" + (7000 + 2 * k), "127.0.0.1:" + (7001 + 2 * k),
                    "host" + (k % 2)).status()).isEqualTo(200);
        }
        assertThat(api.post("/clusters/meta/mycluster", "{\"node_number\": 4}").status()).isEqualTo(200);
    }

    private static HttpResponse<String> root(MemBroker broker, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + broker.address() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static double gauge(MetricFamily f, Map<String, String> labels) {
        for (Metric m : f.getMetrics()) {
            if (m.getLabels().equals(labels)) {
                return ((Gauge) m).getValue();
            }
        }
        throw new AssertionError("no sample " + labels + " in " + f.getName());
    }

    @Test
    void metricsParseAndTellTheState() throws Exception {
        try (MemBroker broker = Brokers.start(Map.of()); ApiClient api = new ApiClient(broker.address())) {
            setUp(api);
            String proxy = broker.snapshot().clusters().get("mycluster").proxyAddresses().get(0);
            assertThat(api.post("/failures/" + proxy + "/coordinator-a").status()).isEqualTo(200);
            assertThat(api.get("/clusters/meta/nosuchcluster").status()).isEqualTo(200);

            Map<String, MetricFamily> m = PrometheusText.scrape(broker.address());
            assertThat(m).containsKeys("undermoon_broker_clusters", "undermoon_broker_global_epoch", "undermoon_broker_proxies",
                    "undermoon_broker_http_request_duration_seconds", "undermoon_broker_store_write_duration_seconds",
                    "undermoon_broker_failure_reports_total", "undermoon_broker_migrating_slots",
                    "undermoon_broker_cluster_nodes", "undermoon_broker_reported_proxies");
            assertThat(((Gauge) m.get("undermoon_broker_clusters").getMetrics().get(0)).getValue()).isEqualTo(1.0);
            assertThat(((Gauge) m.get("undermoon_broker_global_epoch").getMetrics().get(0)).getValue())
                    .isEqualTo((double) broker.snapshot().globalEpoch());
            MetricFamily proxies = m.get("undermoon_broker_proxies");
            assertThat(gauge(proxies, Map.of("host", "host0", "state", "used"))
                    + gauge(proxies, Map.of("host", "host1", "state", "used"))).isEqualTo(2.0);
            assertThat(gauge(proxies, Map.of("host", "host0", "state", "free"))
                    + gauge(proxies, Map.of("host", "host1", "state", "free"))).isEqualTo(4.0);
            assertThat(gauge(m.get("undermoon_broker_cluster_nodes"), Map.of("cluster", "mycluster"))).isEqualTo(4.0);
            assertThat(gauge(m.get("undermoon_broker_migrating_slots"), Map.of("cluster", "mycluster"))).isEqualTo(0.0);

            Metric accepted = m.get("undermoon_broker_failure_reports_total").getMetrics().stream()
                    .filter(x -> x.getLabels().equals(Map.of("outcome", "accepted"))).findFirst().orElseThrow();
            assertThat(((Counter) accepted).getValue()).isEqualTo(1.0);

            MetricFamily http = m.get("undermoon_broker_http_request_duration_seconds");
            assertThat(http.getType()).isEqualTo(MetricType.HISTOGRAM);
            Histogram create = (Histogram) http.getMetrics().stream()
                    .filter(x -> x.getLabels().equals(Map.of("method", "POST", "route", "/api/v3/clusters/meta/{name}", "status", "200")))
                    .findFirst().orElseThrow();
            assertThat(create.getSampleCount()).isEqualTo(1);
            assertThat(http.getMetrics()).anyMatch(x -> x.getLabels().get("route").equals("/api/v3/clusters/meta/{name}")
                    && x.getLabels().get("method").equals("GET"));

            Histogram writes = (Histogram) m.get("undermoon_broker_store_write_duration_seconds").getMetrics().stream()
                    .filter(x -> x.getLabels().equals(Map.of("operation", "mutate", "outcome", "ok"))).findFirst().orElseThrow();
            assertThat(writes.getSampleCount()).isGreaterThanOrEqualTo(8); // 6 proxies, 1 cluster, 1 report
        }
    }

    @Test
    void dashboardIsServedAndCanBeTurnedOff() throws Exception {
        try (MemBroker broker = Brokers.start(Map.of()); ApiClient api = new ApiClient(broker.address())) {
            setUp(api);
            HttpResponse<String> page = root(broker, "/ui/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"app.js\"></script>");
            assertThat(root(broker, "/ui/app.js").statusCode()).isEqualTo(200);
            // without the slash the same page, whose relative URLs still resolve under /ui/
            HttpResponse<String> bare = root(broker, "/ui");
            assertThat(bare.statusCode()).isEqualTo(200);
            assertThat(bare.body()).contains("<base href=\"/ui/\">");
            HttpResponse<String> overview = root(broker, "/ui/api/overview");
            assertThat(overview.statusCode()).isEqualTo(200);
            JsonNode o = Json.mapper().readTree(overview.body());
            JsonNode c = o.get("clusters").get(0);
            assertThat(c.get("name").asText()).isEqualTo("mycluster");
            assertThat(c.get("covered_slots").asInt()).isEqualTo(16384);
            assertThat(c.get("masters")).hasSize(2);
            assertThat(o.get("hosts")).hasSize(2);
        }
        try (MemBroker broker = Brokers.start(Map.of("enable_ui", false)); ApiClient api = new ApiClient(broker.address())) {
            assertThat(root(broker, "/ui/").statusCode()).isEqualTo(404);
            assertThat(root(broker, "/ui/api/overview").statusCode()).isEqualTo(404);
            assertThat(PrometheusText.scrape(broker.address())).containsKey("undermoon_broker_clusters");
        }
    }

    @Test
    void scrapeListsEveryHost() throws Exception {
        try (MemBroker broker = Brokers.start(Map.of()); ApiClient api = new ApiClient(broker.address())) {
            setUp(api);
            List<Metric> samples = PrometheusText.scrape(broker.address()).get("undermoon_broker_proxies").getMetrics();
            assertThat(samples).hasSize(6); // 2 hosts x 3 states
        }
    }
}

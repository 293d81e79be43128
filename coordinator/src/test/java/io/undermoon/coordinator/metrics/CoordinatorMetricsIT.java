package io.undermoon.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.Coordinator;
import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.coordinator.testing.BrokerHttp;
import io.undermoon.coordinator.testing.ProxyFixture;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.testkit.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;

/**
 * A real coordinator with {@code metrics_address}, a real broker and real proxies: after a proxy is
 * killed and failed over, /metrics (read with a real parser) shows the rounds, the report, the
 * failover and the broker calls.
 */
class CoordinatorMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFailoverShowsInTheMetrics() throws Exception {
        List<ProxyFixture> proxies = new ArrayList<>();
        try (MemBroker broker = MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0"))));
             BrokerHttp http = new BrokerHttp(broker.address())) {
            try {
                for (int i = 1; i <= 3; i++) {
                    ProxyFixture p = ProxyFixture.start();
                    proxies.add(p);
                    http.addProxy(p.address(), p.nodes(), "localhost" + i);
                }
                http.createCluster("mycluster", 4);
                try (Coordinator c = Coordinator.start(CoordinatorConfig.from(ConfigSource.of(Map.of(
                        "address", "127.0.0.1:0", "broker_address", broker.address(), "reporter_id", "c1",
                        "loop_interval_ms", 100L, "ping_timeout_ms", 300L, "metrics_address", "127.0.0.1:0"))))) {
                    assertThat(c.metricsPort()).isPositive();
                    String victim = broker.snapshot().clusters().get("mycluster").proxyAddresses().get(0);
                    ProxyFixture dead = proxies.stream().filter(p -> p.address().equals(victim)).findFirst().orElseThrow();
                    await().atMost(WAIT).until(() -> dead.epoch() == broker.snapshot().clusters().get("mycluster").epoch());
                    dead.stopProxy();
                    await().atMost(WAIT).until(() -> broker.snapshot().failedProxies().contains(victim));

                    await().atMost(WAIT).untilAsserted(() -> {
                        Map<String, MetricFamily> m = PrometheusText.scrape("127.0.0.1:" + c.metricsPort());
                        for (String loop : List.of("detection", "sync", "migration", "failover")) {
                            assertThat(((Histogram) sample(m, "undermoon_coordinator_round_duration_seconds", Map.of("loop", loop)))
                                    .getSampleCount()).as(loop).isPositive();
                        }
                        assertThat(((Counter) sample(m, "undermoon_coordinator_failure_reports_total", Map.of("outcome", "accepted")))
                                .getValue()).isGreaterThanOrEqualTo(1.0);
                        assertThat(((Counter) sample(m, "undermoon_coordinator_failovers_finished_total", Map.of("outcome", "done")))
                                .getValue()).isGreaterThanOrEqualTo(1.0);
                        assertThat(((Counter) sample(m, "undermoon_coordinator_broker_calls_total",
                                Map.of("broker", broker.address(), "outcome", "2xx"))).getValue()).isPositive();
                        assertThat(((Counter) sample(m, "undermoon_coordinator_round_errors_total", Map.of("loop", "detection")))
                                .getValue()).isGreaterThanOrEqualTo(1.0);
                    });
                }
            } finally {
                proxies.forEach(ProxyFixture::close);
            }
        }
    }

    private static Metric sample(Map<String, MetricFamily> m, String family, Map<String, String> labels) {
        MetricFamily f = m.get(family);
        assertThat(f).as(family).isNotNull();
        return f.getMetrics().stream().filter(x -> x.getLabels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + family + labels));
    }
}

package io.undermoon.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.testkit.PrometheusText;
import java.util.Map;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;

/** What each broker call and round does to the metrics, read back through /metrics with a real parser. */
class CoordinatorMetricsTest {

    private static Metric sample(Map<String, MetricFamily> m, String family, Map<String, String> labels) {
        return m.get(family).getMetrics().stream().filter(x -> x.getLabels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + family + labels));
    }

    @Test
    void callsAndRoundsBecomeMetrics() throws Exception {
        try (CoordinatorMetrics metrics = new CoordinatorMetrics()) {
            metrics.serve("127.0.0.1:0");
            String b = "127.0.0.1:7799";
            metrics.called(b, "POST", "/failures/127.0.0.1:6000/c1", 200, 1_000_000);
            metrics.called(b, "POST", "/failures/127.0.0.1:6001/c1", -1, 1_000_000);
            metrics.roundDone("detection", 5_000_000, 2);
            metrics.called(b, "POST", "/proxies/failover/127.0.0.1:6000", 200, 20_000_000);
            metrics.called(b, "POST", "/proxies/failover/127.0.0.1:6001", 409, 3_000_000);
            metrics.called(b, "PUT", "/clusters/migrations", 200, 2_000_000);
            metrics.called(b, "PUT", "/clusters/migrations", 404, 2_000_000);
            metrics.called(b, "GET", "/clusters/names?offset=0&limit=100", 200, 1_000_000);
            metrics.roundDone("sync", 7_000_000, 0);

            Map<String, MetricFamily> m = PrometheusText.scrape("127.0.0.1:" + metrics.port());
            assertThat(((Gauge) m.get("undermoon_coordinator_unreachable_proxies").getMetrics().get(0)).getValue()).isEqualTo(2.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_failure_reports_total", Map.of("outcome", "accepted"))).getValue())
                    .isEqualTo(1.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_failure_reports_total", Map.of("outcome", "failed"))).getValue())
                    .isEqualTo(1.0);
            assertThat(((Counter) m.get("undermoon_coordinator_failovers_started_total").getMetrics().get(0)).getValue()).isEqualTo(2.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_failovers_finished_total", Map.of("outcome", "done"))).getValue())
                    .isEqualTo(1.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_failovers_finished_total", Map.of("outcome", "retry"))).getValue())
                    .isEqualTo(1.0);
            assertThat(((Histogram) sample(m, "undermoon_coordinator_failover_duration_seconds", Map.of("outcome", "done")))
                    .getSampleSum()).isEqualTo(0.02);
            assertThat(((Counter) m.get("undermoon_coordinator_migrations_committed_total").getMetrics().get(0)).getValue())
                    .isEqualTo(1.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_broker_calls_total", Map.of("broker", b, "outcome", "2xx")))
                    .getValue()).isEqualTo(4.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_broker_calls_total", Map.of("broker", b, "outcome", "error")))
                    .getValue()).isEqualTo(1.0);
            assertThat(((Counter) sample(m, "undermoon_coordinator_round_errors_total", Map.of("loop", "detection"))).getValue())
                    .isEqualTo(2.0);
            assertThat(((Histogram) sample(m, "undermoon_coordinator_round_duration_seconds", Map.of("loop", "sync")))
                    .getSampleCount()).isEqualTo(1);

            // the next detection round found everyone: the gauge falls back to 0
            metrics.roundDone("detection", 1_000_000, 0);
            m = PrometheusText.scrape("127.0.0.1:" + metrics.port());
            assertThat(((Gauge) m.get("undermoon_coordinator_unreachable_proxies").getMetrics().get(0)).getValue()).isEqualTo(0.0);
        }
    }
}

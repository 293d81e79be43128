package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.testkit.PrometheusText;
import java.util.Map;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The proxy's /metrics read with a real Prometheus text-format parser (the broker's and the coordinator's have their own tests). */
class ProxyMetricsFormatIT {
    @Test
    void proxyMetricsParse() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start(Map.of("metrics_address", "127.0.0.1:0"));
             Jedis client = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            for (int i = 0; i < 20; i++) {
                client.ping();
            }
            Map<String, MetricFamily> m = PrometheusText.scrape("127.0.0.1:" + cluster.proxy1.metricsPort());
            assertThat(m).containsKeys("undermoon_proxy_commands_total", "undermoon_proxy_forwarded_commands_total",
                    "undermoon_proxy_moved_replies_total", "undermoon_proxy_connections_total", "undermoon_proxy_protocol_errors_total",
                    "undermoon_proxy_connected_clients", "undermoon_proxy_epoch", "undermoon_proxy_covered_slots",
                    "undermoon_migration_moved_keys_total", "undermoon_migration_moved_bytes_total",
                    "undermoon_migration_umsync_received_total");
            assertThat(((Counter) m.get("undermoon_proxy_commands_total").getMetrics().get(0)).getValue()).isGreaterThanOrEqualTo(20);
            assertThat(((Gauge) m.get("undermoon_proxy_covered_slots").getMetrics().get(0)).getValue()).isEqualTo(16384.0);
        }
    }
}

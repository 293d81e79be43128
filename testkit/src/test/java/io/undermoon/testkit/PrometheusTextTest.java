package io.undermoon.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void readsAWellFormedPage() {
        var f = PrometheusText.parse("""
                # HELP a_total A counter
                # TYPE a_total counter
                a_total{x="1"} 3.0
                # HELP b_seconds A histogram
                # TYPE b_seconds histogram
                b_seconds_bucket{le="0.1"} 1
                b_seconds_bucket{le="+Inf"} 2
                b_seconds_count 2
                b_seconds_sum 0.5
                """);
        assertThat(f).containsOnlyKeys("a_total", "b_seconds");
        assertThat(f.get("b_seconds").getType()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(((Counter) f.get("a_total").getMetrics().get(0)).getValue()).isEqualTo(3.0);
    }

    @Test
    void refusesMalformedPages() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na not-a-number\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("a 1\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\n# TYPE a gauge\na 2\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\nb 1\n")).isInstanceOf(IllegalArgumentException.class);
    }
}

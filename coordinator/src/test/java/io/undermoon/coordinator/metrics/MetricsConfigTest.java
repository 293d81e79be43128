package io.undermoon.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The coordinator's {@code metrics_address}: off by default, the key, the environment variable, a bad value refused. */
class MetricsConfigTest {
    @Test
    void metricsAddressKey() throws Exception {
        assertThat(CoordinatorConfig.defaults().metricsAddress()).isEmpty();
        assertThat(CoordinatorConfig.from(ConfigSource.of(Map.of("metrics_address", "127.0.0.1:9100"))).metricsAddress())
                .isEqualTo("127.0.0.1:9100");
        assertThat(CoordinatorConfig.from(ConfigSource.load(Optional.empty(), Map.of("UNDERMOON_METRICS_ADDRESS", "127.0.0.1:9101")))
                .metricsAddress()).isEqualTo("127.0.0.1:9101");
        assertThatThrownBy(() -> CoordinatorConfig.from(ConfigSource.of(Map.of("metrics_address", "nonsense"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics_address");
        CoordinatorConfig c = CoordinatorConfig.from(ConfigSource.of(Map.of("metrics_address", "127.0.0.1:9100")));
        assertThat(c.withBrokerAddresses(List.of("127.0.0.1:1")).metricsAddress()).isEqualTo("127.0.0.1:9100");
    }
}

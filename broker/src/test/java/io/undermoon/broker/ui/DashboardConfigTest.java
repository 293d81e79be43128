package io.undermoon.broker.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code enable_ui}: default on, the TOML key, the environment variable, a bad value refused. */
class DashboardConfigTest {
    @Test
    void enableUiKey() throws Exception {
        assertThat(BrokerConfig.defaults().enableUi()).isTrue();
        assertThat(BrokerConfig.from(ConfigSource.of(Map.of("enable_ui", false))).enableUi()).isFalse();
        assertThat(BrokerConfig.from(ConfigSource.load(Optional.empty(), Map.of("UNDERMOON_ENABLE_UI", "false"))).enableUi())
                .isFalse();
        assertThatThrownBy(() -> BrokerConfig.from(ConfigSource.of(Map.of("enable_ui", "maybe"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("enable_ui");
        assertThat(BrokerConfig.defaults().withAddress("127.0.0.1:0").enableUi()).isTrue();
    }
}

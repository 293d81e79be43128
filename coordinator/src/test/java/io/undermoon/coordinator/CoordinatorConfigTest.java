package io.undermoon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorConfigTest {

    private static CoordinatorConfig of(Map<String, Object> values) throws ConfigException {
        return CoordinatorConfig.from(ConfigSource.of(values));
    }

    @Test
    void defaults() {
        CoordinatorConfig c = CoordinatorConfig.defaults();
        assertThat(c.address()).isEqualTo("127.0.0.1:6699");
        assertThat(c.brokerAddresses()).containsExactly("127.0.0.1:7799");
        assertThat(c.reporterId()).isEqualTo("127.0.0.1:6699");
        assertThat(c.threadNumber()).isEqualTo(4);
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.enableCompression()).isFalse();
        assertThat(c.disableFailover()).isFalse();
        assertThat(c.detectionInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.syncInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.migrationInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.failoverInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.epochWatchInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.pingAttempts()).isEqualTo(3);
        assertThat(c.brokerTimeout()).isEqualTo(Duration.ofMillis(3000));
        assertThat(c.adminSessionTimeout()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void theWorstCaseDetectionWithDefaultsIsWellUnderFiveSeconds() {
        CoordinatorConfig c = CoordinatorConfig.defaults();
        // a host that vanished (no RST): every attempt waits its whole timeout, after at most one interval
        Duration worst = c.detectionInterval().plus(c.pingTimeout().multipliedBy(c.pingAttempts()));
        assertThat(worst).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void referenceKeysAndOurs() throws ConfigException {
        CoordinatorConfig c = of(Map.ofEntries(
                Map.entry("address", "0.0.0.0:6700"),
                Map.entry("broker_address", List.of("10.0.0.1:7799", "10.0.0.2:7799")),
                Map.entry("reporter_id", "coord-a"),
                Map.entry("thread_number", 2L),
                Map.entry("proxy_timeout", 3L),
                Map.entry("enable_compression", true),
                Map.entry("disable_failover", "yes"),
                Map.entry("loop_interval_ms", 1000L),
                Map.entry("sync_interval_ms", "250"),
                Map.entry("ping_timeout_ms", 200L),
                Map.entry("ping_attempts", 5L),
                Map.entry("broker_timeout_ms", 1500L),
                Map.entry("admin_session_timeout", 0L)));
        assertThat(c.address()).isEqualTo("0.0.0.0:6700");
        assertThat(c.brokerAddresses()).containsExactly("10.0.0.1:7799", "10.0.0.2:7799");
        assertThat(c.reporterId()).isEqualTo("coord-a");
        assertThat(c.threadNumber()).isEqualTo(2);
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.enableCompression()).isTrue();
        assertThat(c.disableFailover()).isTrue();
        assertThat(c.detectionInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.syncInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.failoverInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.migrationInterval()).as("loop_interval_ms set: every loop follows it").isEqualTo(Duration.ofSeconds(1));
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.pingAttempts()).isEqualTo(5);
        assertThat(c.brokerTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.adminSessionTimeout()).isZero();
    }

    @Test
    void theEpochWatchCanBeTurnedOffButNotNegative() throws ConfigException {
        assertThat(of(Map.of("epoch_watch_interval_ms", 0L)).epochWatchInterval()).isZero();
        assertThat(of(Map.of("epoch_watch_interval_ms", 20L)).epochWatchInterval()).isEqualTo(Duration.ofMillis(20));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> of(Map.of("epoch_watch_interval_ms", -1L)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("epoch_watch_interval_ms");
    }

    @Test
    void reporterIdDefaultsToTheAddress() throws ConfigException {
        assertThat(of(Map.of("address", "127.0.0.1:6800")).reporterId()).isEqualTo("127.0.0.1:6800");
    }

    @Test
    void brokerAddressAsAStringIsOneBrokerOrSeveralSeparatedByCommas() throws ConfigException {
        assertThat(of(Map.of("broker_address", "b:1")).brokerAddresses()).containsExactly("b:1");
        assertThat(of(Map.of("broker_address", "b:1,c:2")).brokerAddresses()).containsExactly("b:1", "c:2");
        assertThat(of(Map.of("broker_address", "")).brokerAddresses()).isEmpty();
        assertThat(of(Map.of("broker_address", List.of())).brokerAddresses()).isEmpty();
    }

    @Test
    void badValuesNameTheField() {
        Map<String, Object> bad = Map.ofEntries(
                Map.entry("address", "nohost"),
                Map.entry("broker_address", "b:1, c:2"),
                Map.entry("reporter_id", "a/b"),
                Map.entry("thread_number", 0L),
                Map.entry("proxy_timeout", "two"),
                Map.entry("enable_compression", "maybe"),
                Map.entry("disable_failover", "2"),
                Map.entry("loop_interval_ms", 0L),
                Map.entry("detection_interval_ms", -5L),
                Map.entry("ping_timeout_ms", 0L),
                Map.entry("ping_attempts", 0L),
                Map.entry("broker_timeout_ms", "x"),
                Map.entry("admin_session_timeout", -1L));
        bad.forEach((key, value) -> assertThatThrownBy(() -> of(Map.of(key, value)))
                .as(key).isInstanceOf(ConfigException.class).hasMessageContaining(key));
        assertThatThrownBy(() -> of(Map.of("reporter_id", ""))).hasMessageContaining("reporter_id").hasMessageContaining("empty");
        assertThatThrownBy(() -> of(Map.of("broker_address", List.of("b:1", List.of("x")))))
                .hasMessageContaining("broker_address");
    }

    @Test
    void fileThenEnvironment(@TempDir Path dir) throws IOException, ConfigException {
        Path file = dir.resolve("coordinator.toml");
        Files.writeString(file, """
                address = "127.0.0.1:6699"
                broker_address = ["127.0.0.1:7799", "127.0.0.1:7800"]
                reporter_id = "from-file"
                thread_number = 2
                proxy_timeout = 4
                enable_compression = false
                """);
        CoordinatorConfig c = CoordinatorConfig.from(ConfigSource.load(Optional.of(dir.resolve("coordinator")), Map.of(
                "UNDERMOON_REPORTER_ID", "from-env",
                "UNDERMOON_ENABLE_COMPRESSION", "true",
                "UNDERMOON_PING_ATTEMPTS", "4",
                "UNDERMOON_BROKER_ADDRESS", "10.1.1.1:7799,10.1.1.2:7799",
                "OTHER", "ignored")));
        assertThat(c.reporterId()).isEqualTo("from-env");
        assertThat(c.enableCompression()).isTrue();
        assertThat(c.pingAttempts()).isEqualTo(4);
        assertThat(c.proxyTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.brokerAddresses()).containsExactly("10.1.1.1:7799", "10.1.1.2:7799");
    }

    @Test
    void theShippedConfigFileIsValidAndMatchesTheDefaults() throws ConfigException {
        Path shipped = Path.of("..", "conf", "coordinator.toml");
        CoordinatorConfig c = CoordinatorConfig.from(ConfigSource.load(Optional.of(shipped), Map.of()));
        CoordinatorConfig d = CoordinatorConfig.defaults();
        assertThat(c.address()).isEqualTo(d.address());
        assertThat(c.brokerAddresses()).isEqualTo(d.brokerAddresses());
        assertThat(c.proxyTimeout()).isEqualTo(d.proxyTimeout());
        assertThat(c.detectionInterval()).isEqualTo(d.detectionInterval());
        assertThat(c.pingTimeout()).isEqualTo(d.pingTimeout());
        assertThat(c.pingAttempts()).isEqualTo(d.pingAttempts());
    }

    /**
     * Regression (config fuzzing): thread_number = 1000000 was accepted (a million event loops), and
     * admin_session_timeout or broker_timeout_ms near 2^63 loaded but overflowed when used.
     */
    @Test
    void threadCountsAndDurationsAreBounded() throws ConfigException {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("thread_number", 1_000_000),
                Map.of("admin_session_timeout", "9223372036854775807"), Map.of("broker_timeout_ms", "9223372036854775807"),
                Map.of("loop_interval_ms", "9223372036854775807"), Map.of("proxy_timeout", "10000000000000"),
                Map.of("ping_attempts", "1.5"))) {
            assertThatThrownBy(() -> CoordinatorConfig.from(ConfigSource.of(bad))).as(bad.toString())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("invalid field");
        }
        assertThat(CoordinatorConfig.from(ConfigSource.of(Map.of("thread_number", 1024))).threadNumber()).isEqualTo(1024);
    }
}

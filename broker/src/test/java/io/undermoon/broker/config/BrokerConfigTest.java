package io.undermoon.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private static BrokerConfig of(Map<String, Object> values) throws ConfigException {
        return BrokerConfig.from(ConfigSource.of(values));
    }

    @Test
    void codeDefaultsAreTheReferences() {
        BrokerConfig c = BrokerConfig.defaults();
        assertThat(c.address()).isEqualTo("127.0.0.1:7799");
        assertThat(c.failureTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.failureQuorum()).isEqualTo(1);
        assertThat(c.migrationLimit()).isEqualTo(1);
        assertThat(c.recoverFromMetaFile()).isFalse();
        assertThat(c.metaFilename()).isEqualTo(Path.of("metadata"));
        assertThat(c.autoUpdateMetaFile()).isFalse();
        assertThat(c.updateMetaFileInterval()).isZero();
        assertThat(c.replicaAddresses()).isEmpty();
        assertThat(c.syncMetaInterval()).isZero();
        assertThat(c.enableOrderedProxy()).isFalse();
        assertThat(c.storageType()).isEqualTo(StorageType.MEMORY);
        assertThat(c.httpStorageAddress()).isEqualTo("localhost:9999");
        assertThat(c.storageName()).isEqualTo("my_storage_name");
        assertThat(c.storagePassword()).isEqualTo("my_storage_password");
        assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.debug()).isFalse();
        assertThat(c.defaultClusterConfig()).isEqualTo(ClusterConfig.DEFAULT);
        assertThat(c.autoScaleMaxFailedAttempts()).isEqualTo(30);
        assertThat(c.toString()).doesNotContain("my_storage_password");
    }

    @Test
    void theShippedConfFileIsValidAndComplete() throws Exception {
        Path conf = Path.of("..", "conf", "mem-broker.toml");
        BrokerConfig c = BrokerConfig.from(ConfigSource.load(Optional.of(conf), Map.of()));
        assertThat(c.migrationLimit()).isEqualTo(2);
        assertThat(c.recoverFromMetaFile()).isTrue();
        assertThat(c.defaultClusterConfig().migrationConfig().maxMigrationTime()).isEqualTo(3600);
        String text = Files.readString(conf);
        for (String key : List.of("address", "failure_ttl", "failure_quorum", "migration_limit", "recover_from_meta_file",
                "meta_filename", "auto_update_meta_file", "update_meta_file_interval", "replica_addresses", "sync_meta_interval",
                "enable_ordered_proxy", "storage_type", "http_storage_address", "storage_name", "storage_password",
                "refresh_interval", "debug", "compression_strategy", "migration_max_migration_time", "migration_max_blocking_time",
                "migration_scan_interval", "migration_scan_count", "max_body_size", "proxy_epoch_timeout_ms",
                "auto_scale_poll_interval_ms", "auto_scale_max_failed_attempts", "auto_scale_timeout", "replica_push_timeout_ms",
                "http_storage_timeout_ms", "etcd_endpoints", "etcd_prefix", "etcd_timeout_ms", "etcd_connect_timeout_ms",
                "etcd_user", "etcd_password")) {
            assertThat(text).as(key).containsPattern("(?m)^#? ?" + key + " = ");
        }
    }

    @Test
    void environmentOverridesTheFileAndStringsConvert() throws Exception {
        Path conf = Path.of("..", "conf", "mem-broker.toml");
        Map<String, String> env = Map.of("UNDERMOON_ADDRESS", "0.0.0.0:8899", "UNDERMOON_FAILURE_QUORUM", "2",
                "UNDERMOON_REPLICA_ADDRESSES", "127.0.0.1:8899,127.0.0.1:8900", "UNDERMOON_ENABLE_ORDERED_PROXY", "yes",
                "UNDERMOON_STORAGE_TYPE", "HTTP", "UNDERMOON_MIGRATION_SCAN_COUNT", "32", "UNDERMOON_META_FILENAME", "metadata2");
        BrokerConfig c = BrokerConfig.from(ConfigSource.load(Optional.of(conf), env));
        assertThat(c.address()).isEqualTo("0.0.0.0:8899");
        assertThat(c.listenPort()).isEqualTo(8899);
        assertThat(c.failureQuorum()).isEqualTo(2);
        assertThat(c.replicaAddresses()).containsExactly("127.0.0.1:8899", "127.0.0.1:8900");
        assertThat(c.enableOrderedProxy()).isTrue();
        assertThat(c.storageType()).isEqualTo(StorageType.HTTP);
        assertThat(c.defaultClusterConfig().migrationConfig().scanCount()).isEqualTo(32);
        assertThat(c.metaFilename()).isEqualTo(Path.of("metadata2"));
        assertThat(of(Map.of("replica_addresses", "")).replicaAddresses()).isEmpty();
        assertThat(of(Map.of("replica_addresses", List.of("a:1", "b:2"))).replicaAddresses()).containsExactly("a:1", "b:2");
        assertThat(of(Map.of("compression_strategy", "Set_Get_Only")).defaultClusterConfig().compressionStrategy())
                .isEqualTo(CompressionStrategy.SET_GET_ONLY);
        assertThat(of(Map.of("address", "[::1]:7799")).listenHost()).isEqualTo("::1");
    }

    @Test
    void invalidValuesNameTheKey() {
        for (Map.Entry<String, Object> e : Map.<String, Object>of("address", "localhost:7799", "failure_ttl", "soon",
                "storage_type", "zookeeper", "migration_scan_count", "0", "compression_strategy", "zip",
                "failure_quorum", -1, "enable_ordered_proxy", "maybe", "replica_addresses", "nohost").entrySet()) {
            assertThatThrownBy(() -> of(Map.of(e.getKey(), e.getValue()))).as(e.getKey())
                    .isInstanceOf(ConfigException.class).hasMessageContaining(e.getKey());
        }
        for (String addr : List.of("127.0.0.1", "127.0.0.1:", ":7799", "256.0.0.1:7799", "127.0.0.1:70000", "example.com:7799")) {
            assertThatThrownBy(() -> of(Map.of("address", addr))).as(addr).isInstanceOf(ConfigException.class);
        }
    }

    /**
     * Regression (config fuzzing): a meta file name with a NUL byte threw InvalidPathException out of
     * the loader, and a huge interval loaded but threw ArithmeticException when the broker started.
     */
    @Test
    void unusablePathsAndDurationsAreConfigErrors() {
        assertThatThrownBy(() -> of(Map.of("meta_filename", "meta\u0000data"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid field meta_filename");
        for (String key : List.of("update_meta_file_interval", "sync_meta_interval", "failure_ttl", "auto_scale_timeout",
                "refresh_interval", "proxy_epoch_timeout_ms", "replica_push_timeout_ms", "http_storage_timeout_ms",
                "auto_scale_poll_interval_ms")) {
            assertThatThrownBy(() -> of(Map.of(key, "9223372036854775807"))).as(key).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("invalid field " + key);
        }
        assertThatThrownBy(() -> of(Map.of("failure_quorum", 2.5))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid field failure_quorum");
    }

    @Test
    void etcdKeysAreReadAndCheckedWhenEtcdIsTheStore() throws Exception {
        BrokerConfig c = BrokerConfig.from(ConfigSource.load(Optional.empty(), Map.of("UNDERMOON_STORAGE_TYPE", "etcd",
                "UNDERMOON_ETCD_ENDPOINTS", "http://127.0.0.1:2379,http://127.0.0.1:22379", "UNDERMOON_ETCD_PREFIX", "/prod/um/",
                "UNDERMOON_ETCD_TIMEOUT_MS", "1500", "UNDERMOON_ETCD_USER", "um", "UNDERMOON_ETCD_PASSWORD", "secret")));
        assertThat(c.storageType()).isEqualTo(StorageType.ETCD);
        assertThat(c.etcd().endpoints()).containsExactly("http://127.0.0.1:2379", "http://127.0.0.1:22379");
        assertThat(c.etcd().prefix()).isEqualTo("/prod/um");
        assertThat(c.etcd().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.etcd().user()).isEqualTo("um");
        assertThat(c.toString()).contains("etcd_endpoints").doesNotContain("secret");
        assertThat(of(Map.of("storage_type", "etcd", "etcd_endpoints", List.of("http://10.0.0.1:2379"))).etcd().endpoints())
                .containsExactly("http://10.0.0.1:2379");

        assertThatThrownBy(() -> of(Map.of("storage_type", "etcd", "etcd_endpoints", "127.0.0.1:2379")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("etcd_endpoints");
        assertThatThrownBy(() -> of(Map.of("storage_type", "etcd", "etcd_endpoints", "http://127.0.0.1:2379/v3")))
                .hasMessageContaining("etcd_endpoints");
        assertThatThrownBy(() -> of(Map.of("storage_type", "etcd", "etcd_prefix", "undermoon")))
                .hasMessageContaining("etcd_prefix");
        assertThatThrownBy(() -> of(Map.of("storage_type", "etcd", "etcd_prefix", "/a//b")))
                .hasMessageContaining("etcd_prefix");
        assertThatThrownBy(() -> of(Map.of("storage_type", "etcd", "etcd_user", "um")))
                .hasMessageContaining("etcd_user and etcd_password go together");
        assertThatThrownBy(() -> of(Map.of("storage_type", "etcd", "etcd_timeout_ms", 0)))
                .hasMessageContaining("etcd_timeout_ms");
        // a memory broker is not refused for an etcd key it does not use
        assertThat(of(Map.of("etcd_prefix", "not a path")).storageType()).isEqualTo(StorageType.MEMORY);
    }
}

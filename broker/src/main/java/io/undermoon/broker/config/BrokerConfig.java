package io.undermoon.broker.config;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The memory broker's configuration: every key of undermoon's {@code mem_broker} with the same name,
 * meaning and code default, plus a few of our own (bounded waits, timeouts, body size). Build it
 * with {@link #from(ConfigSource)}; every value is checked there and a bad one is a
 * {@link ConfigException} naming the key.
 *
 * @param address                  HTTP listen address, a literal {@code IP:port} (port 0 picks a free port)
 * @param failureTtl               how long a failure report stays valid
 * @param failureQuorum            distinct reporters needed before {@code GET /failures} lists a proxy
 * @param migrationLimit           visible migration tasks per cluster; 0 = unlimited
 * @param recoverFromMetaFile      load the meta file at startup
 * @param metaFilename             path of the meta file
 * @param autoUpdateMetaFile       write the meta file before a mutation is published
 * @param updateMetaFileInterval   periodic meta-file write; zero = disabled
 * @param replicaAddresses         brokers to push the store to
 * @param syncMetaInterval         period of the replica push; zero = disabled
 * @param enableOrderedProxy       Kubernetes StatefulSet mode
 * @param storageType              memory or http
 * @param httpStorageAddress       external storage {@code host:port}
 * @param storageName              external storage key and basic-auth user
 * @param storagePassword          external storage basic-auth password
 * @param refreshInterval          external storage cache refresh period
 * @param debug                    parsed, unused (as in the reference)
 * @param defaultClusterConfig     config given to new clusters
 * @param maxBodySize              largest accepted request body, bytes (ours)
 * @param proxyEpochTimeout        connect and command timeout of {@code UMCTL GETEPOCH} (ours; reference 1 s)
 * @param autoScalePollInterval    longest pause between auto-scale epoch polls, which start at 20 ms and double (ours; reference 1 s, fixed)
 * @param autoScaleMaxFailedAttempts polls with an unreachable proxy before {@code PROXY_NOT_SYNC} (reference 30)
 * @param autoScaleTimeout         upper bound of the whole auto-scale wait (ours; the reference has none)
 * @param replicaPushTimeout       timeout of one replica push (ours)
 * @param httpStorageTimeout       timeout of one external storage call (reference 5 s)
 * @param etcd                     the etcd store's endpoints, prefix, timeouts and credentials (ours)
 * @param enableUi                 serve the read-only web dashboard under {@code /ui/} (ours)
 */
public record BrokerConfig(
        String address,
        Duration failureTtl,
        long failureQuorum,
        long migrationLimit,
        boolean recoverFromMetaFile,
        Path metaFilename,
        boolean autoUpdateMetaFile,
        Duration updateMetaFileInterval,
        List<String> replicaAddresses,
        Duration syncMetaInterval,
        boolean enableOrderedProxy,
        StorageType storageType,
        String httpStorageAddress,
        String storageName,
        String storagePassword,
        Duration refreshInterval,
        boolean debug,
        ClusterConfig defaultClusterConfig,
        long maxBodySize,
        Duration proxyEpochTimeout,
        Duration autoScalePollInterval,
        int autoScaleMaxFailedAttempts,
        Duration autoScaleTimeout,
        Duration replicaPushTimeout,
        Duration httpStorageTimeout,
        EtcdSettings etcd,
        boolean enableUi) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1:7799";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public BrokerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(metaFilename, "meta_filename");
        replicaAddresses = List.copyOf(replicaAddresses);
        Objects.requireNonNull(storageType, "storage_type");
        Objects.requireNonNull(defaultClusterConfig, "default cluster config");
        Objects.requireNonNull(etcd, "etcd settings");
    }

    /** The code defaults, as if no file and no environment variable were given. */
    public static BrokerConfig defaults() {
        try {
            return from(ConfigSource.of(java.util.Map.of()));
        } catch (ConfigException e) {
            throw new IllegalStateException("the defaults must be valid", e);
        }
    }

    /** Reads and checks every key; unknown keys are ignored, as in the reference. */
    public static BrokerConfig from(ConfigSource src) throws ConfigException {
        String address = src.getString("address", DEFAULT_ADDRESS);
        checkListenAddress(address);
        String storage = src.getString("storage_type", "memory");
        StorageType storageType = StorageType.parse(storage).orElseThrow(() -> new ConfigException(
                "invalid field storage_type: expected memory, http or etcd, got '" + storage + "'"));
        String metaFilename = src.getString("meta_filename", "metadata");
        if (metaFilename.isBlank()) {
            throw new ConfigException("invalid field meta_filename: must not be empty");
        }
        Path metaPath;
        try {
            metaPath = Path.of(metaFilename);
        } catch (InvalidPathException e) {
            throw new ConfigException("invalid field meta_filename: " + e.getMessage());
        }
        List<String> replicas = src.getStringList("replica_addresses", List.of(), true);
        for (String r : replicas) {
            if (r.isEmpty() || r.indexOf(':') < 0) {
                throw new ConfigException("invalid field replica_addresses: '" + r + "' is not host:port");
            }
        }
        return new BrokerConfig(
                address,
                src.getSeconds("failure_ttl", 60, 0),
                src.getLong("failure_quorum", 1, 0),
                src.getLong("migration_limit", 1, 0),
                src.getBoolean("recover_from_meta_file", false),
                metaPath,
                src.getBoolean("auto_update_meta_file", false),
                src.getSeconds("update_meta_file_interval", 0, 0),
                replicas,
                src.getSeconds("sync_meta_interval", 0, 0),
                src.getBoolean("enable_ordered_proxy", false),
                storageType,
                src.getString("http_storage_address", "localhost:9999"),
                src.getString("storage_name", "my_storage_name"),
                src.getString("storage_password", "my_storage_password"),
                src.getSeconds("refresh_interval", 30, 1),
                src.getBoolean("debug", false),
                defaultClusterConfig(src),
                src.getLong("max_body_size", 16L << 20, 1024),
                src.getMillis("proxy_epoch_timeout_ms", 1000, 1),
                src.getMillis("auto_scale_poll_interval_ms", 1000, 1),
                src.getInt("auto_scale_max_failed_attempts", 30, 1),
                src.getSeconds("auto_scale_timeout", 300, 1),
                src.getMillis("replica_push_timeout_ms", 5000, 1),
                src.getMillis("http_storage_timeout_ms", 5000, 1),
                EtcdSettings.from(src, storageType == StorageType.ETCD),
                src.getBoolean("enable_ui", true));
    }

    /** The five default-cluster-config keys, checked with the same rules as the config PATCH API. */
    private static ClusterConfig defaultClusterConfig(ConfigSource src) throws ConfigException {
        ClusterConfig c = ClusterConfig.DEFAULT;
        for (String field : ClusterConfig.FLAT_FIELDS) {
            if (!src.has(field)) {
                continue;
            }
            String value = src.getString(field, "");
            try {
                c = c.withField(field, value);
            } catch (ClusterConfig.InvalidFieldException e) {
                throw new ConfigException("invalid field " + field + ": " + e.error() + " '" + value + "'");
            }
        }
        return c;
    }

    private static void checkListenAddress(String address) throws ConfigException {
        int i = address.lastIndexOf(':');
        String problem = null;
        if (i <= 0 || i == address.length() - 1) {
            problem = "expected IP:port";
        } else {
            String host = address.substring(0, i);
            String port = address.substring(i + 1);
            try {
                int p = Integer.parseInt(port);
                if (p < 0 || p > 65535) {
                    problem = "port out of range";
                }
            } catch (NumberFormatException e) {
                problem = "port is not a number";
            }
            if (problem == null && !isIpLiteral(host)) {
                problem = "the host must be a literal IP address";
            }
        }
        if (problem != null) {
            throw new ConfigException("invalid field address: " + problem + ", got '" + address + "'");
        }
    }

    private static boolean isIpLiteral(String host) {
        var m = IPV4.matcher(host);
        if (m.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(m.group(g)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]") && host.indexOf(':') >= 0) {
            try {
                InetAddress.getByName(host); // an IPv6 literal in brackets: parsed, never resolved
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The host part of {@link #address()} (brackets removed for IPv6). */
    public String listenHost() {
        String h = address.substring(0, address.lastIndexOf(':'));
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    public int listenPort() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** A copy listening on another address (tests, benchmarks). */
    public BrokerConfig withAddress(String newAddress) throws ConfigException {
        checkListenAddress(newAddress);
        return new BrokerConfig(newAddress, failureTtl, failureQuorum, migrationLimit, recoverFromMetaFile, metaFilename,
                autoUpdateMetaFile, updateMetaFileInterval, replicaAddresses, syncMetaInterval, enableOrderedProxy,
                storageType, httpStorageAddress, storageName, storagePassword, refreshInterval, debug,
                defaultClusterConfig, maxBodySize, proxyEpochTimeout, autoScalePollInterval, autoScaleMaxFailedAttempts,
                autoScaleTimeout, replicaPushTimeout, httpStorageTimeout, etcd, enableUi);
    }

    @Override
    public String toString() {
        // never log the storage password
        return "BrokerConfig[address=" + address + ", storage_type=" + storageType + ", meta_filename=" + metaFilename
                + ", recover_from_meta_file=" + recoverFromMetaFile + ", auto_update_meta_file=" + autoUpdateMetaFile
                + ", update_meta_file_interval=" + updateMetaFileInterval.toSeconds() + "s, migration_limit=" + migrationLimit
                + ", failure_ttl=" + failureTtl.toSeconds() + "s, failure_quorum=" + failureQuorum
                + ", replica_addresses=" + replicaAddresses + ", sync_meta_interval=" + syncMetaInterval.toSeconds()
                + "s, enable_ordered_proxy=" + enableOrderedProxy + ", enable_ui=" + enableUi
                + (storageType == StorageType.ETCD ? ", " + etcd : "") + "]";
    }
}

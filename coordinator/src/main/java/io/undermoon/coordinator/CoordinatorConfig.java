package io.undermoon.coordinator;

import io.undermoon.coordinator.broker.BrokerAddresses;
import io.undermoon.model.Addresses;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The coordinator's configuration: every key of undermoon's {@code coordinator} with the same name,
 * meaning and code default, plus our own timing keys (conf/coordinator.toml documents each). Build it
 * with {@link #from(ConfigSource)}; a bad value is a {@link ConfigException} naming the key.
 *
 * @param address             listen address of the RESP admin API ({@code host:port}; port 0 picks a free port)
 * @param brokerAddresses     broker HTTP endpoints, used round-robin (may be empty: then every call fails
 *                            with "no broker" until {@code CONFIG SET brokers})
 * @param reporterId          identity in failure reports; unique per coordinator
 * @param threadNumber        event-loop threads of the admin API (the reference's worker threads)
 * @param proxyTimeout        connect and per-command timeout of metadata and migration commands to proxies
 * @param enableCompression   ask the broker for gzip and send SETCLUSTER in its compressed form
 * @param disableFailover     do not run the failover loop (detection and reporting still run)
 * @param detectionInterval   pause after each failure-detection round (ours)
 * @param syncInterval        pause after each metadata-sync round (ours)
 * @param migrationInterval   pause after each migration-sync round (ours)
 * @param failoverInterval    pause after each failover round (ours)
 * @param replicaStatusInterval pause after each replica state round (ours)
 * @param epochWatchInterval  how often the broker's global epoch is read; a change wakes the metadata sync
 *                            and migration loops at once (ours; zero: no watch, the loops keep their pace)
 * @param pingTimeout         connect and PING timeout of one detection attempt (ours)
 * @param pingAttempts        failed PING attempts before a proxy is reported (ours; the reference's 3)
 * @param brokerTimeout       connect and whole-request timeout of one broker HTTP call (ours)
 * @param adminSessionTimeout an admin connection idle this long is closed; zero keeps it (ours)
 * @param metricsAddress      {@code host:port} of the Prometheus {@code /metrics} endpoint; empty = none (ours)
 */
public record CoordinatorConfig(
        String address,
        List<String> brokerAddresses,
        String reporterId,
        int threadNumber,
        Duration proxyTimeout,
        boolean enableCompression,
        boolean disableFailover,
        Duration detectionInterval,
        Duration syncInterval,
        Duration migrationInterval,
        Duration failoverInterval,
        Duration replicaStatusInterval,
        Duration epochWatchInterval,
        Duration pingTimeout,
        int pingAttempts,
        Duration brokerTimeout,
        Duration adminSessionTimeout,
        String metricsAddress) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1:6699";
    public static final String DEFAULT_BROKER = "127.0.0.1:7799";
    public static final long DEFAULT_LOOP_INTERVAL_MS = 300;
    /** The migration loop's default pause: a finished task waits at most this long for its commit. */
    public static final long DEFAULT_MIGRATION_INTERVAL_MS = 100;
    public static final long DEFAULT_EPOCH_WATCH_INTERVAL_MS = 50;
    public static final long DEFAULT_PING_TIMEOUT_MS = 300;
    public static final int DEFAULT_PING_ATTEMPTS = 3;
    public static final long DEFAULT_BROKER_TIMEOUT_MS = 3000;
    /** Most admin API threads. */
    public static final int MAX_THREADS = 1024;

    public CoordinatorConfig {
        Objects.requireNonNull(address, "address");
        brokerAddresses = List.copyOf(brokerAddresses);
        Objects.requireNonNull(reporterId, "reporter_id");
        for (Duration d : List.of(proxyTimeout, detectionInterval, syncInterval, migrationInterval, failoverInterval,
                replicaStatusInterval, pingTimeout, brokerTimeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and intervals must be positive");
            }
        }
        if (epochWatchInterval.isNegative()) {
            throw new IllegalArgumentException("epoch_watch_interval_ms must not be negative");
        }
        if (adminSessionTimeout.isNegative()) {
            throw new IllegalArgumentException("admin_session_timeout must not be negative");
        }
        Objects.requireNonNull(metricsAddress, "metrics_address");
        if (threadNumber < 1 || pingAttempts < 1) {
            throw new IllegalArgumentException("thread_number and ping_attempts must be at least 1");
        }
    }

    /** The code defaults, as if no file and no environment variable were given. */
    public static CoordinatorConfig defaults() {
        try {
            return from(ConfigSource.of(Map.of()));
        } catch (ConfigException e) {
            throw new IllegalStateException("the defaults must be valid", e);
        }
    }

    /** Reads and checks every key; unknown keys are ignored, as in the reference. */
    public static CoordinatorConfig from(ConfigSource src) throws ConfigException {
        String address = src.getString("address", DEFAULT_ADDRESS);
        if (Addresses.parse(address).isEmpty()) {
            throw new ConfigException("invalid field address: expected host:port, got '" + address + "'");
        }
        List<String> brokers = brokerAddresses(src);
        String reporterId = src.getString("reporter_id", address);
        String reporterProblem = reporterIdProblem(reporterId);
        if (reporterProblem != null) {
            throw new ConfigException("invalid field reporter_id: " + reporterProblem + ", got '" + reporterId + "'");
        }
        long loopMs = src.getLong("loop_interval_ms", DEFAULT_LOOP_INTERVAL_MS, 1, ConfigSource.MAX_MILLIS);
        return new CoordinatorConfig(
                address,
                brokers,
                reporterId,
                src.getInt("thread_number", 4, 1, MAX_THREADS),
                src.getSeconds("proxy_timeout", 2, 1),
                src.getBoolean("enable_compression", false),
                src.getBoolean("disable_failover", false),
                src.getMillis("detection_interval_ms", loopMs, 1),
                src.getMillis("sync_interval_ms", loopMs, 1),
                src.getMillis("migration_interval_ms",
                        src.has("loop_interval_ms") ? loopMs : Math.min(loopMs, DEFAULT_MIGRATION_INTERVAL_MS), 1),
                src.getMillis("failover_interval_ms", loopMs, 1),
                src.getMillis("replica_status_interval_ms", loopMs, 1),
                src.getMillis("epoch_watch_interval_ms", DEFAULT_EPOCH_WATCH_INTERVAL_MS, 0),
                src.getMillis("ping_timeout_ms", DEFAULT_PING_TIMEOUT_MS, 1),
                src.getInt("ping_attempts", DEFAULT_PING_ATTEMPTS, 1),
                src.getMillis("broker_timeout_ms", DEFAULT_BROKER_TIMEOUT_MS, 1),
                src.getSeconds("admin_session_timeout", 300, 0),
                metricsAddress(src));
    }

    private static String metricsAddress(ConfigSource src) throws ConfigException {
        String metrics = src.getString("metrics_address", "");
        if (!metrics.isEmpty() && Addresses.parse(metrics).isEmpty()) {
            throw new ConfigException("invalid field metrics_address: expected host:port, got '" + metrics + "'");
        }
        return metrics;
    }

    /**
     * {@code broker_address}: a TOML array of {@code host:port} strings, or one string. Unlike the
     * reference, a string is split on ',' (so that {@code UNDERMOON_BROKER_ADDRESS=a:1,b:2} gives
     * two brokers; a comma never belonged in one address). An empty array or an empty string means
     * no broker yet.
     */
    private static List<String> brokerAddresses(ConfigSource src) throws ConfigException {
        List<String> raw = src.getStringList("broker_address", List.of(DEFAULT_BROKER), false);
        List<String> out = new ArrayList<>();
        if (raw.size() == 1 && raw.get(0).isEmpty()) {
            return out; // UNDERMOON_BROKER_ADDRESS="" means no broker yet
        }
        for (String item : raw) {
            for (String piece : item.split(",", -1)) {
                String problem = BrokerAddresses.problem(piece);
                if (problem != null) {
                    throw new ConfigException("invalid field broker_address: " + problem);
                }
                out.add(piece);
            }
        }
        return out;
    }

    /**
     * Why a reporter id cannot be used, or null. It goes verbatim into a URL path
     * ({@code /failures/<proxy>/<reporter_id>}), as in the reference, so it must be a non-empty
     * run of characters that need no escaping there.
     */
    static String reporterIdProblem(String id) {
        if (id.isEmpty()) {
            return "must not be empty";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~:@!$&'()*+,;=".indexOf(c) >= 0;
            if (!ok) {
                return "character '" + c + "' is not allowed in a URL path segment";
            }
        }
        return null;
    }

    /** A copy with other broker addresses (tests, LocalCluster). */
    public CoordinatorConfig withBrokerAddresses(List<String> brokers) {
        return new CoordinatorConfig(address, brokers, reporterId, threadNumber, proxyTimeout, enableCompression,
                disableFailover, detectionInterval, syncInterval, migrationInterval, failoverInterval, replicaStatusInterval,
                epochWatchInterval, pingTimeout, pingAttempts, brokerTimeout, adminSessionTimeout, metricsAddress);
    }

    @Override
    public String toString() {
        return "CoordinatorConfig[address=" + address + ", broker_address=" + brokerAddresses + ", reporter_id="
                + reporterId + ", proxy_timeout=" + proxyTimeout.toSeconds() + "s, enable_compression=" + enableCompression
                + ", disable_failover=" + disableFailover + ", intervals(ms) detection=" + detectionInterval.toMillis()
                + " sync=" + syncInterval.toMillis() + " migration=" + migrationInterval.toMillis() + " failover="
                + failoverInterval.toMillis() + " replica_status=" + replicaStatusInterval.toMillis() + " epoch_watch=" + epochWatchInterval.toMillis() + ", ping_timeout_ms=" + pingTimeout.toMillis() + ", ping_attempts="
                + pingAttempts + ", broker_timeout_ms=" + brokerTimeout.toMillis()
                + (metricsAddress.isEmpty() ? "" : ", metrics_address=" + metricsAddress) + "]";
    }
}

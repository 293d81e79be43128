package io.undermoon.proxy;

import io.undermoon.model.Addresses;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.resp.RespLimits;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of the server proxy. The reference's keys keep their names, units and defaults
 * (conf/server-proxy.toml documents each); the input limits, metrics and replication keys
 * ({@code replication_interval}, {@code fast_first_sync}) and {@code migration_latency_target}
 * (microseconds; the migration's scan slows down while the clients' latency exceeds it) are ours.
 */
public record ProxyConfig(
        String address,
        String announceAddress,
        int slowlogLen,
        long slowlogLogSlowerThan,
        long slowlogSampleRate,
        int threadNumber,
        int backendConnNum,
        String backendBatchStrategy,
        long backendFlushSize,
        long backendLowFlushInterval,
        long backendHighFlushInterval,
        long sessionTimeout,
        long backendTimeout,
        Optional<String> password,
        boolean activeRedirection,
        int maxRedirections,
        String defaultRedirectionAddress,
        String clusterNodesVersion,
        int maxPendingCommands,
        int maxArrayLength,
        long maxBulkLength,
        int maxInlineLength,
        String metricsAddress,
        long replicationInterval,
        boolean fastFirstSync,
        int maxTransactionCommands,
        long maxTransactionBytes,
        long pubsubOutputBufferLimit,

        long migrationLatencyTarget) {

    public static final int MAX_REDIRECTIONS_LIMIT = 4;
    /** Most event-loop threads, and most backend connections per loop and backend. */
    public static final int MAX_THREADS = 1024;
    /** Most slow-log entries (the ring is allocated at start). */
    public static final int MAX_SLOWLOG_LEN = 1 << 20;

    public static ProxyConfig load(ConfigSource c) throws ConfigException {
        String address = c.getString("address", "127.0.0.1:5299");
        if (Addresses.parse(address).isEmpty()) {
            throw new ConfigException("invalid field address: expected host:port, got '" + address + "'");
        }
        String announce = c.getString("announce_address", address);
        if (!announce.contains(":")) {
            throw new ConfigException("invalid field announce_address: expected host:port, got '" + announce + "'");
        }
        String strategy = c.getString("backend_batch_strategy", "disabled").toLowerCase(Locale.ROOT);
        if (!strategy.equals("disabled") && !strategy.equals("fixed") && !strategy.equals("dynamic")) {
            throw new ConfigException("invalid field backend_batch_strategy: expected disabled, fixed or dynamic, got '"
                    + strategy + "'");
        }
        if (strategy.equals("dynamic")) {
            throw new ConfigException("backend_batch_strategy 'dynamic' is not supported by this proxy: use 'disabled' (one "
                    + "write per backend per event-loop iteration, the default) or 'fixed' (backend_flush_size and the two "
                    + "flush intervals)");
        }
        String nodesVersion = c.getString("cluster_nodes_version", "v2");
        if (!nodesVersion.equals("v1") && !nodesVersion.equals("v2")) {
            throw new ConfigException("invalid field cluster_nodes_version: expected v1 or v2, got '" + nodesVersion + "'");
        }
        long maxRedirections = c.getLong("max_redirections", 0, 0);
        Optional<String> password = c.getOptionalString("password").filter(p -> !p.isEmpty());
        String defaultRedirection = c.getString("default_redirection_address", "");
        if (!defaultRedirection.isEmpty() && !defaultRedirection.contains(":")) {
            throw new ConfigException("invalid field default_redirection_address: expected host:port");
        }
        String metrics = c.getString("metrics_address", "");
        if (!metrics.isEmpty() && Addresses.parse(metrics).isEmpty()) {
            // port 0 (a free port) is allowed
            throw new ConfigException("invalid field metrics_address: expected host:port, got '" + metrics + "'");
        }
        return new ProxyConfig(
                address,
                announce,
                c.getInt("slowlog_len", 1024, 1, MAX_SLOWLOG_LEN),
                c.getLong("slowlog_log_slower_than", 50000, Long.MIN_VALUE, ConfigSource.MAX_MILLIS * 1000),
                c.getLong("slowlog_sample_rate", 1000, 0),
                c.getInt("thread_number", 2, 1, MAX_THREADS),
                c.getInt("backend_conn_num", 2, 1, MAX_THREADS),
                strategy,
                c.getLong("backend_flush_size", 1024, 1),
                c.getLong("backend_low_flush_interval", 200000, 1),
                c.getLong("backend_high_flush_interval", 600000, 1),
                c.getLong("session_timeout", 0, 0, ConfigSource.MAX_MILLIS),
                c.getLong("backend_timeout", 3000, 1, ConfigSource.MAX_MILLIS),
                password,
                c.getBoolean("active_redirection", false),
                (int) Math.min(maxRedirections, MAX_REDIRECTIONS_LIMIT),
                defaultRedirection,
                nodesVersion,
                c.getInt("max_pending_commands", 4096, 1),
                c.getInt("max_array_length", 1024 * 1024, 1, RespLimits.MAX_LENGTH),
                c.getLong("max_bulk_length", 512L * 1024 * 1024, 1, RespLimits.MAX_BULK_LENGTH),
                c.getInt("max_inline_length", 64 * 1024, 16, RespLimits.MAX_LENGTH),
                metrics,
                c.getLong("replication_interval", 5000, 100, ConfigSource.MAX_MILLIS),
                c.getBoolean("fast_first_sync", true),
                c.getInt("max_transaction_commands", 10000, 1),
                c.getLong("max_transaction_bytes", 64L * 1024 * 1024, 1, 1L << 30),
                c.getLong("pubsub_output_buffer_limit", 32L * 1024 * 1024, 1024, 1L << 40),

                c.getLong("migration_latency_target", 1000, 0, 10_000_000));
    }

    /** The host part of the announce address, used to check that metadata is meant for us. */
    public String announceHost() {
        return announceAddress.substring(0, announceAddress.indexOf(':'));
    }

    public RespLimits requestLimits() {
        return new RespLimits(maxArrayLength, maxBulkLength, maxInlineLength, 8);
    }
}

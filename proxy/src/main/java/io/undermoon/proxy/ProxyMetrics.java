package io.undermoon.proxy;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undermoon.model.Addresses;
import io.undermoon.model.umctl.ReplStatus;
import io.undermoon.proxy.migration.MigrationStats;
import java.io.IOException;
import java.util.function.DoubleSupplier;

/**
 * The proxy's metrics in Prometheus text format on {@code http://<metrics_address>/metrics}. Every
 * value is read from the existing counters when scraped; nothing is added to the data path.
 */
public final class ProxyMetrics implements AutoCloseable {
    private final HTTPServer server;

    private ProxyMetrics(HTTPServer server) {
        this.server = server;
    }

    public static ProxyMetrics start(String address, ProxyContext proxy, MigrationStats migration) throws IOException {
        Addresses.HostPort hp = Addresses.parse(address).orElseThrow(() -> new IOException("invalid metrics_address " + address));
        PrometheusRegistry registry = new PrometheusRegistry();
        ProxyStats s = proxy.stats();
        counter(registry, "undermoon_proxy_commands", "Commands received from clients", s::commands);
        counter(registry, "undermoon_proxy_forwarded_commands", "Commands forwarded to a Redis or peer proxy", s::forwarded);
        counter(registry, "undermoon_proxy_moved_replies", "MOVED redirections answered", s::moved);
        counter(registry, "undermoon_proxy_connections", "Client connections accepted", () -> s.totalConnections.sum());
        counter(registry, "undermoon_proxy_protocol_errors", "Connections closed for a protocol error", () -> s.protocolErrors.sum());
        gauge(registry, "undermoon_proxy_connected_clients", "Open client connections", () -> s.connectedClients.get());
        gauge(registry, "undermoon_proxy_epoch", "Epoch of the cluster metadata", () -> proxy.meta().table().epoch());
        gauge(registry, "undermoon_proxy_covered_slots", "Slots with an owner in the metadata", () -> proxy.meta().table().coveredSlots());
        counter(registry, "undermoon_migration_moved_keys", "Keys copied to an importing proxy", () -> migration.movedKeys.sum());
        counter(registry, "undermoon_migration_moved_bytes", "Bytes copied by the scan (estimated from one key in 16)", () -> migration.movedBytes.sum());
        counter(registry, "undermoon_migration_umsync_received", "UMSYNC requests served", () -> migration.umsyncReceived.sum());
        replication(registry, proxy);
        HTTPServer server = HTTPServer.builder().hostname(hp.host()).port(hp.port()).registry(registry).buildAndStart();
        return new ProxyMetrics(server);
    }

    /**
     * Ours: the replication of each local node, as {@code UMCTL REPLSTATUS} reports it. A master
     * without an online replica, or a replica that has not synced, is a single-copy window.
     */
    private static void replication(PrometheusRegistry r, ProxyContext proxy) {
        GaugeWithCallback.builder().name("undermoon_replica_synced")
                .help("1 when the local replica has completed a sync of its master (0: not, or unknown)")
                .labelNames("node", "master")
                .callback(cb -> replicas(proxy).forEach(s -> cb.call(s.synced() == ReplStatus.Synced.YES ? 1 : 0, s.node(), s.master())))
                .register(r);
        GaugeWithCallback.builder().name("undermoon_replica_link_up")
                .help("1 when the local replica's link to its master is up")
                .labelNames("node", "master")
                .callback(cb -> replicas(proxy).forEach(s -> cb.call(s.linkUp() ? 1 : 0, s.node(), s.master())))
                .register(r);
        GaugeWithCallback.builder().name("undermoon_replica_offset")
                .help("Replication offset the local replica has processed (-1 unknown)")
                .labelNames("node", "master")
                .callback(cb -> replicas(proxy).forEach(s -> cb.call(s.offset(), s.node(), s.master())))
                .register(r);
        GaugeWithCallback.builder().name("undermoon_master_replicas_online")
                .help("Replicas attached to the local master that completed their sync")
                .labelNames("node")
                .callback(cb -> masters(proxy).forEach(s -> cb.call(s.replicasOnline(), s.node())))
                .register(r);
        gauge(r, "undermoon_masters_without_online_replica",
                "Local masters of a cluster with no replica online: their data has a single copy",
                () -> masters(proxy).stream().filter(m -> !m.cluster().isEmpty() && m.replicasOnline() == 0).count());
    }

    private static java.util.List<ReplStatus.Replica> replicas(ProxyContext proxy) {
        return proxy.replication().statuses().stream().filter(s -> s instanceof ReplStatus.Replica)
                .map(s -> (ReplStatus.Replica) s).toList();
    }

    private static java.util.List<ReplStatus.Master> masters(ProxyContext proxy) {
        return proxy.replication().statuses().stream().filter(s -> s instanceof ReplStatus.Master)
                .map(s -> (ReplStatus.Master) s).toList();
    }

    private static void counter(PrometheusRegistry r, String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(r);
    }

    private static void gauge(PrometheusRegistry r, String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(r);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}

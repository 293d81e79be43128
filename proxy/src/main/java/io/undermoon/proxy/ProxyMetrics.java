package io.undermoon.proxy;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undermoon.model.Addresses;
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
        counter(registry, "undermoon_migration_moved_bytes", "Bytes of DUMP payloads copied", () -> migration.movedBytes.sum());
        counter(registry, "undermoon_migration_umsync_received", "UMSYNC requests served", () -> migration.umsyncReceived.sum());
        HTTPServer server = HTTPServer.builder().hostname(hp.host()).port(hp.port()).registry(registry).buildAndStart();
        return new ProxyMetrics(server);
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

package io.undermoon.broker.metrics;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undermoon.broker.overview.MigrationProgress;
import io.undermoon.broker.overview.Overviews;
import io.undermoon.broker.service.MetaStorage;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The broker's Prometheus metrics, served in the text format at {@code GET /metrics} on the API's
 * address. Gauges about the metadata are computed from the published store when scraped; request
 * latencies come from Javalin's request logger, store write latencies from {@link MeteredStorage}.
 * Every name is listed in docs/metrics.md.
 */
public final class BrokerMetrics {
    public static final String PATH = "/metrics";
    static final String FAILURE_REPORT_ROUTE = "/api/v3/failures/{address}/{reporter}";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    private final Histogram httpRequests;
    private final Histogram storeWrites;
    private final Counter failureReports;

    /**
     * @param store    the published store (read at every scrape)
     * @param progress the broker's migration tracker
     */
    public BrokerMetrics(Supplier<MetaStore> store, MigrationProgress progress) {
        httpRequests = Histogram.builder()
                .name("undermoon_broker_http_request_duration_seconds")
                .help("Time to answer an HTTP request, by method, route template and status")
                .labelNames("method", "route", "status")
                .classicOnly()
                .register(registry);
        storeWrites = Histogram.builder()
                .name("undermoon_broker_store_write_duration_seconds")
                .help("Time of a store write (a mutation made durable and published, or a whole-store replace)")
                .labelNames("operation", "outcome")
                .classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        failureReports = Counter.builder()
                .name("undermoon_broker_failure_reports")
                .help("Failure reports received from coordinators (POST /api/v3/failures), by outcome")
                .labelNames("outcome")
                .register(registry);
        // known label values start at 0, so that rates and alerts see the series before the first event
        failureReports.labelValues("accepted");
        failureReports.labelValues("rejected");
        for (String op : new String[] {"mutate", "replace_all"}) {
            storeWrites.labelValues(op, "ok");
            storeWrites.labelValues(op, "error");
        }
        GaugeWithCallback.builder()
                .name("undermoon_broker_clusters")
                .help("Clusters in the store")
                .callback(cb -> cb.call(store.get().clusters().size()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_global_epoch")
                .help("The store's global epoch")
                .callback(cb -> cb.call(store.get().globalEpoch()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_proxies")
                .help("Registered proxies per host and state (free, used, failed)")
                .labelNames("host", "state")
                .callback(cb -> proxiesByHost(store.get()).forEach((host, counts) -> {
                    cb.call(counts[0], host, Overviews.FREE);
                    cb.call(counts[1], host, Overviews.USED);
                    cb.call(counts[2], host, Overviews.FAILED);
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_reported_proxies")
                .help("Proxies with at least one unexpired or unpurged failure report")
                .callback(cb -> cb.call(store.get().failures().size()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_cluster_nodes")
                .help("Redis nodes of each cluster (4 per chunk)")
                .labelNames("cluster")
                .callback(cb -> {
                    for (ClusterStore c : store.get().clusters().values()) {
                        cb.call(c.nodeNumber(), c.name());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_cluster_epoch")
                .help("The epoch of each cluster")
                .labelNames("cluster")
                .callback(cb -> {
                    for (ClusterStore c : store.get().clusters().values()) {
                        cb.call(c.epoch(), c.name());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_migrating_slots")
                .help("Slots of each cluster's stored migration tasks (still to move)")
                .labelNames("cluster")
                .callback(cb -> {
                    for (ClusterStore c : store.get().clusters().values()) {
                        cb.call(MigrationProgress.migratingSlots(c), c.name());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("undermoon_broker_migration_planned_slots")
                .help("Slots planned to move by each running scale, as first seen by this broker")
                .labelNames("cluster")
                .callback(cb -> {
                    progress.observe(store.get());
                    progress.all().forEach((name, e) -> cb.call(e.planned(), name));
                })
                .register(registry);
    }

    private static Map<String, long[]> proxiesByHost(MetaStore s) {
        Map<String, long[]> out = new TreeMap<>();
        for (ProxyResource p : s.allProxies().values()) {
            long[] counts = out.computeIfAbsent(p.host(), h -> new long[3]);
            String state = Overviews.state(s, p);
            counts[state.equals(Overviews.FREE) ? 0 : state.equals(Overviews.USED) ? 1 : 2]++;
        }
        return out;
    }

    /** The storage with its writes timed. */
    public MetaStorage meter(MetaStorage storage, Consumer<MetaStore> afterWrite) {
        return new MeteredStorage(storage, storeWrites, afterWrite);
    }

    /** Adds {@code GET /metrics} and the request timing to a Javalin configuration. */
    public void install(JavalinConfig config) {
        config.requestLogger.http(this::observe);
        config.routes.get(PATH, this::serve);
    }

    private void observe(Context ctx, Float millis) {
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        String route = e != null ? e.path : ctx.path().startsWith("/ui") ? "/ui/*" : "unmatched";
        int status = ctx.statusCode();
        httpRequests.labelValues(ctx.method().name(), route, Integer.toString(status)).observe(millis / 1000.0);
        if (route.equals(FAILURE_REPORT_ROUTE) && ctx.method().name().equals("POST")) {
            failureReports.labelValues(status >= 200 && status < 300 ? "accepted" : "rejected").inc();
        }
    }

    private void serve(Context ctx) throws IOException {
        ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        ctx.result(scrape());
    }

    /** The metrics in the Prometheus text format. */
    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    /**
     * The etcd store's state (only with {@code storage_type = "etcd"}): the revision of the local copy,
     * compare-and-swap conflicts with other brokers, and writes etcd did not confirm.
     */
    public void etcd(java.util.function.LongSupplier revision, java.util.function.LongSupplier conflicts,
                     java.util.function.LongSupplier unavailable) {
        GaugeWithCallback.builder()
                .name("undermoon_broker_etcd_revision")
                .help("The etcd revision this broker's copy of the store reflects")
                .callback(cb -> cb.call(revision.getAsLong()))
                .register(registry);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("undermoon_broker_etcd_conflicts")
                .help("Store writes that found another broker's change first and were planned again")
                .callback(cb -> cb.call(conflicts.getAsLong()))
                .register(registry);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("undermoon_broker_etcd_unavailable")
                .help("Store writes answered 503 STORE_UNAVAILABLE: etcd did not confirm them in time")
                .callback(cb -> cb.call(unavailable.getAsLong()))
                .register(registry);
    }
}

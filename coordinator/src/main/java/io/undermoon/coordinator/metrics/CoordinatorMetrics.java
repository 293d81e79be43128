package io.undermoon.coordinator.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undermoon.coordinator.broker.BrokerCallListener;
import io.undermoon.coordinator.loop.RoundListener;
import io.undermoon.model.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The coordinator's Prometheus metrics, served at {@code http://<metrics_address>/metrics} with the
 * exporter the proxy uses. Filled by two listeners: every completed loop round ({@link RoundListener})
 * and every HTTP call to a broker ({@link BrokerCallListener}); the failover, commit and failure-report
 * figures are read from those calls. Every name is listed in docs/metrics.md.
 */
public final class CoordinatorMetrics implements RoundListener, BrokerCallListener, AutoCloseable {
    static final String FAILOVER = "/proxies/failover/";
    static final String COMMIT = "/clusters/migrations";
    static final String REPORT = "/failures/";
    static final List<String> LOOPS = List.of("detection", "sync", "migration", "failover");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram roundDuration;
    private final Counter roundProblems;
    private final Counter failoversStarted;
    private final Counter failoversFinished;
    private final Histogram failoverDuration;
    private final Counter migrationsCommitted;
    private final Counter failureReports;
    private final Gauge unreachable;
    private final Counter brokerCalls;
    private final Histogram brokerCallDuration;
    private final AtomicInteger reportsThisRound = new AtomicInteger();
    private volatile HTTPServer server;

    public CoordinatorMetrics() {
        roundDuration = Histogram.builder().name("undermoon_coordinator_round_duration_seconds")
                .help("Duration of one round of a loop (detection, sync, migration, failover)")
                .labelNames("loop").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        roundProblems = Counter.builder().name("undermoon_coordinator_round_errors")
                .help("Problems met by the rounds of a loop (an unreachable proxy, a failed broker call, ...)")
                .labelNames("loop").register(registry);
        failoversStarted = Counter.builder().name("undermoon_coordinator_failovers_started")
                .help("Failover calls sent to the broker (POST /proxies/failover)").register(registry);
        failoversFinished = Counter.builder().name("undermoon_coordinator_failovers_finished")
                .help("Failover calls answered, by outcome: done (2xx), retry (409), error (other status or no answer)")
                .labelNames("outcome").register(registry);
        failoverDuration = Histogram.builder().name("undermoon_coordinator_failover_duration_seconds")
                .help("Duration of a failover call to the broker, by outcome").labelNames("outcome").classicOnly()
                .register(registry);
        migrationsCommitted = Counter.builder().name("undermoon_coordinator_migrations_committed")
                .help("Finished migration tasks committed to the broker (PUT /clusters/migrations answered 2xx)")
                .register(registry);
        failureReports = Counter.builder().name("undermoon_coordinator_failure_reports")
                .help("Proxies found unreachable by the detection loop and reported, by outcome of the report")
                .labelNames("outcome").register(registry);
        unreachable = Gauge.builder().name("undermoon_coordinator_unreachable_proxies")
                .help("Proxies the last detection round found unreachable").register(registry);
        brokerCalls = Counter.builder().name("undermoon_coordinator_broker_calls")
                .help("HTTP calls to a broker, by broker address and outcome (2xx, 3xx, 4xx, 5xx, error)")
                .labelNames("broker", "outcome").register(registry);
        brokerCallDuration = Histogram.builder().name("undermoon_coordinator_broker_call_duration_seconds")
                .help("Duration of an HTTP call to a broker").labelNames("broker").classicOnly().register(registry);
        // every known label value starts at 0, so that rates and alerts see the series before the first event
        for (String loop : LOOPS) {
            roundDuration.labelValues(loop);
            roundProblems.labelValues(loop);
        }
        for (String outcome : List.of("done", "retry", "error")) {
            failoversFinished.labelValues(outcome);
            failoverDuration.labelValues(outcome);
        }
        failureReports.labelValues("accepted");
        failureReports.labelValues("failed");
    }

    /** Serves {@code /metrics} on {@code address} ({@code host:port}, port 0 picks a free one). */
    public void serve(String address) throws IOException {
        Addresses.HostPort hp = Addresses.parse(address).orElseThrow(() -> new IOException("invalid metrics_address " + address));
        server = HTTPServer.builder().hostname(hp.host()).port(hp.port()).registry(registry).buildAndStart();
    }

    /** The port of {@code /metrics}, or -1 when not served. */
    public int port() {
        HTTPServer s = server;
        return s == null ? -1 : s.getPort();
    }

    @Override
    public void roundDone(String loop, long nanos, int problems) {
        roundDuration.labelValues(loop).observe(nanos / 1e9);
        if (problems > 0) {
            roundProblems.labelValues(loop).inc(problems);
        }
        if (loop.equals("detection")) {
            unreachable.set(reportsThisRound.getAndSet(0));
        }
    }

    @Override
    public void called(String broker, String method, String path, int status, long nanos) {
        String outcome = status < 0 ? "error" : (status / 100) + "xx";
        brokerCalls.labelValues(broker, outcome).inc();
        brokerCallDuration.labelValues(broker).observe(nanos / 1e9);
        boolean ok = status >= 200 && status < 300;
        if (method.equals("POST") && path.startsWith(FAILOVER)) {
            String result = ok ? "done" : status == 409 ? "retry" : "error";
            failoversStarted.inc();
            failoversFinished.labelValues(result).inc();
            failoverDuration.labelValues(result).observe(nanos / 1e9);
        } else if (method.equals("PUT") && path.equals(COMMIT)) {
            if (ok) {
                migrationsCommitted.inc();
            }
        } else if (method.equals("POST") && path.startsWith(REPORT)) {
            // the detection round reports each proxy that failed every PING attempt, once per round
            reportsThisRound.incrementAndGet();
            failureReports.labelValues(ok ? "accepted" : "failed").inc();
        }
    }

    @Override
    public void close() {
        HTTPServer s = server;
        if (s != null) {
            s.close();
        }
    }
}

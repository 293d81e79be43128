package io.undermoon.broker.service;

import io.undermoon.broker.BrokerJson;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica push (spec §5.3): every {@code sync_meta_interval}, {@code PUT /api/v3/metadata} of the
 * whole store to every replica broker at once. A failure is logged as REPLICATION_ERROR; the next
 * tick tries again. The replica list is read at each tick, so {@code PUT /api/v3/config} takes
 * effect at once.
 */
public final class ReplicaPusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaPusher.class);

    private final Supplier<MetaStore> store;
    private final Supplier<List<String>> replicas;
    private final Duration interval;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private ScheduledExecutorService scheduler;

    public ReplicaPusher(Supplier<MetaStore> store, Supplier<List<String>> replicas, Duration interval, Duration timeout) {
        this.store = store;
        this.replicas = replicas;
        this.interval = interval;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).executor(executor).build();
    }

    public void start() {
        if (interval.isZero()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("broker-replica-push").factory());
        long ms = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::pushOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Pushes the current store to every replica and waits for all answers; returns the replicas that failed. */
    public List<String> pushOnce() {
        List<String> targets = replicas.get();
        if (targets.isEmpty()) {
            return List.of();
        }
        byte[] body = BrokerJson.write(store.get());
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (String replica : targets) {
            results.add(CompletableFuture.supplyAsync(() -> push(replica, body), executor));
        }
        List<String> failed = new ArrayList<>();
        for (CompletableFuture<String> r : results) {
            String f = r.join();
            if (f != null) {
                failed.add(f);
            }
        }
        return failed;
    }

    /** Null on success, else the replica address. */
    private String push(String replica, byte[] body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + replica + "/api/v3/metadata"))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                LOG.warn("REPLICATION_ERROR: replica {} answered {} {}", replica, r.statusCode(), r.body());
                return replica;
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("REPLICATION_ERROR: cannot push to replica {}: {}", replica, e.toString());
            return replica;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return replica;
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
        executor.shutdownNow();
    }
}

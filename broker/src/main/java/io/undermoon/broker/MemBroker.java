package io.undermoon.broker;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.broker.config.StorageType;
import io.undermoon.broker.etcd.EtcdStorage;
import io.undermoon.broker.http.BrokerHttpApi;
import io.undermoon.broker.metrics.BrokerMetrics;
import io.undermoon.broker.overview.MigrationProgress;
import io.undermoon.broker.ui.DashboardRoutes;
import io.undermoon.broker.persist.MetaFile;
import io.undermoon.broker.service.BrokerService;
import io.undermoon.broker.service.ExternalStorage;
import io.undermoon.broker.service.LocalStorage;
import io.undermoon.broker.service.MetaStorage;
import io.undermoon.broker.service.ProxyEpochReader;
import io.undermoon.broker.service.ReplicaPusher;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running memory broker: the HTTP API, its storage, the periodic meta-file writes and the replica
 * push. Start one in-process with {@link #start(BrokerConfig)} (an {@code address} with port 0
 * picks a free port, see {@link #port()}), or as a program with {@code ./undermoon broker}.
 * {@link #close()} stops serving and writes the meta file a last time when writing is enabled.
 */
public final class MemBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemBroker.class);

    private final BrokerConfig config;
    private final MetaStorage storage;
    private final BrokerService service;
    private final ReplicaPusher pusher;
    private final Javalin http;
    private final int port;
    private volatile boolean closed;

    private MemBroker(BrokerConfig config, MetaStorage storage, BrokerService service, ReplicaPusher pusher, Javalin http) {
        this.config = config;
        this.storage = storage;
        this.service = service;
        this.pusher = pusher;
        this.http = http;
        this.port = http.port();
    }

    public static MemBroker start(BrokerConfig config) throws BrokerStartException {
        return start(config, ProxyEpochReader.resp(config.proxyEpochTimeout()), Clock.systemUTC());
    }

    /** With an explicit way to read proxy epochs and a clock (tests). */
    public static MemBroker start(BrokerConfig config, ProxyEpochReader epochReader, Clock clock) throws BrokerStartException {
        MigrationProgress progress = new MigrationProgress(clock);
        MetaStorage opened = openStorage(config, clock);
        BrokerMetrics metrics = new BrokerMetrics(opened::snapshot, progress);
        if (opened instanceof EtcdStorage etcd) {
            metrics.etcd(etcd::revision, etcd::conflicts, etcd::unavailable);
        }
        MetaStorage storage = metrics.meter(opened, progress::observe);
        BrokerService service = new BrokerService(config, storage, epochReader, clock, config.storageType() != StorageType.HTTP);
        ReplicaPusher pusher = new ReplicaPusher(storage::snapshot, service::replicaAddresses, config.syncMetaInterval(),
                config.replicaPushTimeout());
        List<Consumer<JavalinConfig>> extensions = new ArrayList<>();
        extensions.add(metrics::install);
        if (config.enableUi()) {
            extensions.add(new DashboardRoutes(storage::snapshot, config.migrationLimit(), progress,
                    () -> storeInfo(config, opened))::install);
        }
        Javalin http = BrokerHttpApi.create(service, config.maxBodySize(), extensions);
        try {
            http.start(config.listenHost(), config.listenPort());
        } catch (RuntimeException e) {
            storage.close();
            pusher.close();
            throw new BrokerStartException("cannot listen on " + config.address() + ": " + e.getMessage(), e);
        }
        storage.start();
        pusher.start();
        MemBroker broker = new MemBroker(config, storage, service, pusher, http);
        LOG.info("memory broker listening on {}:{} ({})", config.listenHost(), broker.port(), config);
        return broker;
    }

    private static MetaStorage openStorage(BrokerConfig config, Clock clock) throws BrokerStartException {
        boolean writes = config.autoUpdateMetaFile() || !config.updateMetaFileInterval().isZero();
        MetaFile file = new MetaFile(config.metaFilename());
        MetaFile writeFile = writes ? file : null;
        if (config.storageType() == StorageType.HTTP) {
            if (config.recoverFromMetaFile()) {
                LOG.info("storage_type = http: the external storage is authoritative, the meta file is not loaded");
            }
            return new ExternalStorage(config.httpStorageAddress(), config.storageName(), config.storagePassword(),
                    config.httpStorageTimeout(), config.enableOrderedProxy(), writeFile, config.autoUpdateMetaFile(),
                    config.updateMetaFileInterval(), config.refreshInterval(), config.failureTtl(), clock);
        }
        MetaStore initial = MetaStore.empty(config.enableOrderedProxy());
        if (config.recoverFromMetaFile()) {
            if (config.storageType() == StorageType.ETCD) {
                LOG.info("storage_type = etcd: the meta file seeds the etcd store only if its prefix is empty");
            }
            file.removeStaleTempFiles();
            try {
                Optional<MetaStore> loaded = file.read();
                if (loaded.isPresent()) {
                    initial = loaded.get();
                    if (initial.enableOrderedProxy() != config.enableOrderedProxy()) {
                        LOG.error("the meta file has enable_ordered_proxy = {} but the config says {}; the meta file wins",
                                initial.enableOrderedProxy(), config.enableOrderedProxy());
                    }
                    LOG.info("recovered {} clusters and {} proxies at global epoch {} from {}", initial.clusters().size(),
                            initial.allProxies().size(), initial.globalEpoch(), file.path());
                } else {
                    LOG.info("no meta file at {}; starting empty", file.path());
                }
            } catch (IOException e) {
                throw new BrokerStartException("cannot recover from the meta file " + file.path() + ": " + e.getMessage(), e);
            } catch (BrokerException e) {
                throw new BrokerStartException(e.error() + ": " + e.getMessage(), e);
            }
        }
        if (config.storageType() == StorageType.ETCD) {
            return EtcdStorage.open(config.etcd(), initial, writeFile, config.autoUpdateMetaFile(),
                    config.updateMetaFileInterval(), config.refreshInterval());
        }
        return new LocalStorage(initial, writeFile, config.autoUpdateMetaFile(), config.updateMetaFileInterval());
    }

    /** What the dashboard shows of the store: its type and, for etcd, where it is and the copy's revision. */
    private static java.util.Map<String, Object> storeInfo(BrokerConfig config, MetaStorage storage) {
        java.util.Map<String, Object> info = new java.util.LinkedHashMap<>();
        info.put("type", config.storageType().name().toLowerCase(java.util.Locale.ROOT));
        if (storage instanceof EtcdStorage etcd) {
            info.put("endpoints", config.etcd().endpoints());
            info.put("prefix", config.etcd().prefix());
            info.put("revision", etcd.revision());
        }
        return info;
    }

    /** The port the HTTP API listens on (the actual one when the config said 0). */
    public int port() {
        return port;
    }

    /** {@code host:port} to reach the API. */
    public String address() {
        String host = config.listenHost();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
    }

    public BrokerConfig config() {
        return config;
    }

    /** The published store. */
    public MetaStore snapshot() {
        return storage.snapshot();
    }

    public BrokerService service() {
        return service;
    }

    /** Pushes the store to the replicas now (also done every {@code sync_meta_interval}). */
    public List<String> pushToReplicas() {
        return pusher.pushOnce();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop();
        pusher.close();
        storage.close();
        LOG.info("memory broker on port {} stopped", port);
    }
}

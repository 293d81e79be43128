package io.undermoon.broker.service;

import io.undermoon.broker.persist.MetaFile;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.Outcome;
import io.undermoon.broker.store.ProxyOperations;
import io.undermoon.broker.store.StoreDraft;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External HTTP storage (spec §5.4): the service holds the store; this broker serves reads from a
 * cache. A mutation takes a process-local try-lock ({@code RETRY} if another is running), fetches
 * the latest store and its version, applies the change, writes it back with that version (a
 * conflict is {@code RETRY}), then updates the cache. An unchanged draft is not written (a
 * repeated report, a re-registration that cleared nothing). A background task initialises the
 * service, then refreshes the cache every {@code refresh_interval}, purging expired failure reports.
 */
public final class ExternalStorage implements MetaStorage {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalStorage.class);

    private final ExternalStoreClient client;
    private final AtomicReference<MetaStore> cache;
    private final ReentrantLock lock = new ReentrantLock();
    private final MetaFile metaFile;
    private final boolean autoUpdate;
    private final Duration refreshInterval;
    private final Duration writeInterval;
    private ScheduledExecutorService fileWriter;
    private final Duration failureTtl;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private Thread background;
    private volatile boolean closed;

    public ExternalStorage(String address, String name, String password, Duration timeout, boolean enableOrderedProxy,
                           MetaFile metaFile, boolean autoUpdate, Duration writeInterval, Duration refreshInterval,
                           Duration failureTtl, Clock clock) {
        this.client = new ExternalStoreClient(address, name, password, timeout);
        this.cache = new AtomicReference<>(MetaStore.empty(enableOrderedProxy));
        this.metaFile = metaFile;
        this.autoUpdate = autoUpdate && metaFile != null;
        this.refreshInterval = refreshInterval;
        this.writeInterval = metaFile == null ? Duration.ZERO : writeInterval;
        this.failureTtl = failureTtl;
        this.clock = clock;
    }

    @Override
    public MetaStore snapshot() {
        return cache.get();
    }

    @Override
    public <T> Committed<T> mutate(Mutation<T> mutation) throws BrokerException {
        if (!lock.tryLock()) {
            throw new BrokerException(BrokerError.RETRY, "another change is in progress");
        }
        try {
            ExternalStoreClient.Payload latest = client.get();
            cache.set(latest.store());
            StoreDraft draft = StoreDraft.of(latest.store());
            Outcome<T> outcome = Operations.apply(mutation, draft);
            MetaStore next = latest.store();
            if (draft.isChanged()) {
                if (latest.version() == null) {
                    throw new BrokerException(BrokerError.EMPTY_EXTERNAL_VERSION);
                }
                next = draft.build();
                client.put(next, latest.version());
                cache.set(next);
                if (autoUpdate) {
                    writeFile(next);
                }
            }
            return Operations.committed(outcome, next);
        } finally {
            lock.unlock();
        }
    }

    /** Only the cache, and only with a strictly larger epoch; the service is never written. */
    @Override
    public void replaceAll(MetaStore incoming) throws BrokerException {
        if (!MetaStore.VERSION.equals(incoming.version())) {
            throw new BrokerException(BrokerError.INVALID_META_VERSION);
        }
        cache.getAndUpdate(current -> incoming.globalEpoch() > current.globalEpoch() ? incoming : current);
    }

    @Override
    public void start() {
        background = Thread.ofVirtual().name("broker-external-storage").start(this::run);
        if (!writeInterval.isZero()) {
            fileWriter = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("broker-meta-file").factory());
            long ms = writeInterval.toMillis();
            fileWriter.scheduleWithFixedDelay(() -> writeFile(cache.get()), ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        while (!closed && !initialise()) {
            if (!sleep(Duration.ofSeconds(1))) {
                return;
            }
        }
        while (!closed && sleep(refreshInterval)) {
            refresh();
        }
    }

    /** Creates the store if the service has none, then fills the cache. */
    private boolean initialise() {
        try {
            client.put(MetaStore.empty(cache.get().enableOrderedProxy()), null);
        } catch (BrokerException e) {
            LOG.debug("external storage initialisation: {}", e.getMessage());
        }
        try {
            cache.set(client.get().store());
            LOG.info("external storage ready");
            return true;
        } catch (BrokerException e) {
            LOG.warn("external storage not reachable yet: {}", e.getMessage());
            return false;
        }
    }

    /** Refreshes the cache and purges expired failure reports (written back only if any). */
    void refresh() {
        if (!lock.tryLock()) {
            return; // a mutation is refreshing the cache anyway
        }
        try {
            ExternalStoreClient.Payload latest = client.get();
            StoreDraft draft = StoreDraft.of(latest.store());
            long now = clock.instant().getEpochSecond();
            if (ProxyOperations.purgeExpiredFailures(draft, now, failureTtl.toSeconds()) && latest.version() != null) {
                MetaStore next = draft.build();
                client.put(next, latest.version());
                cache.set(next);
            } else {
                cache.set(latest.store());
            }
            if (autoUpdate) {
                writeFile(cache.get());
            }
        } catch (BrokerException e) {
            LOG.warn("external storage refresh failed: {} {}", e.error(), e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void writeFile(MetaStore store) {
        try {
            metaFile.write(store, seq.incrementAndGet());
        } catch (IOException | RuntimeException e) {
            LOG.error("failed to write the meta file {} (the external storage holds the change)", metaFile.path(), e);
        }
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (fileWriter != null) {
            fileWriter.shutdownNow();
        }
        if (background != null) {
            background.interrupt();
            try {
                background.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (metaFile != null) {
            writeFile(cache.get());
        }
        client.close();
    }
}

package io.undermoon.broker.service;

import io.undermoon.broker.persist.MetaFile;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.Outcome;
import io.undermoon.broker.store.StoreDraft;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory storage: the published store is an immutable snapshot behind an
 * {@link AtomicReference}; mutations are serialized by one writer lock, applied to a draft, written
 * to the meta file (if {@code auto_update_meta_file}) and then published. A failed write publishes
 * nothing and answers {@code PERSISTENCE_IO_ERROR}.
 */
public final class LocalStorage implements MetaStorage {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStorage.class);

    private record Snapshot(long seq, MetaStore store) {}

    private final AtomicReference<Snapshot> published;
    private final ReentrantLock writer = new ReentrantLock();
    private final MetaFile metaFile;
    private final boolean autoUpdate;
    private final Duration writeInterval;
    private ScheduledExecutorService scheduler;

    /**
     * @param metaFile       the meta file, or null when neither automatic nor periodic writes are on
     * @param autoUpdate     write before publishing every change
     * @param writeInterval  periodic write; zero disables it
     */
    public LocalStorage(MetaStore initial, MetaFile metaFile, boolean autoUpdate, Duration writeInterval) {
        this.published = new AtomicReference<>(new Snapshot(0, initial));
        this.metaFile = metaFile;
        this.autoUpdate = autoUpdate && metaFile != null;
        this.writeInterval = metaFile == null ? Duration.ZERO : writeInterval;
    }

    @Override
    public MetaStore snapshot() {
        return published.get().store();
    }

    @Override
    public <T> Committed<T> mutate(Mutation<T> mutation) throws BrokerException {
        writer.lock();
        try {
            Snapshot current = published.get();
            StoreDraft draft = StoreDraft.of(current.store());
            Outcome<T> outcome = Operations.apply(mutation, draft);
            MetaStore next = current.store();
            if (draft.isChanged()) {
                next = draft.build();
                publish(current, next);
            }
            return Operations.committed(outcome, next);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void replaceAll(MetaStore incoming) throws BrokerException {
        if (!MetaStore.VERSION.equals(incoming.version())) {
            throw new BrokerException(BrokerError.INVALID_META_VERSION);
        }
        writer.lock();
        try {
            Snapshot current = published.get();
            if (current.store().globalEpoch() > incoming.globalEpoch()) {
                throw new BrokerException(BrokerError.EPOCH_SMALLER_THAN_CURRENT);
            }
            publish(current, incoming);
        } finally {
            writer.unlock();
        }
    }

    /** Under the writer lock: persist (if enabled), then publish. */
    private void publish(Snapshot current, MetaStore next) throws BrokerException {
        Snapshot snapshot = new Snapshot(current.seq() + 1, next);
        if (autoUpdate) {
            try {
                metaFile.write(next, snapshot.seq());
            } catch (IOException | RuntimeException e) {
                LOG.error("failed to write the meta file {}; the change is not applied", metaFile.path(), e);
                throw new BrokerException(BrokerError.PERSISTENCE_IO_ERROR, "cannot write the meta file: " + e.getMessage());
            }
        }
        published.set(snapshot);
    }

    @Override
    public void start() {
        if (!writeInterval.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("broker-meta-file").factory());
            long ms = writeInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::writePublished, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the published store if it is newer than the last write; failures are logged. */
    void writePublished() {
        Snapshot s = published.get();
        try {
            metaFile.write(s.store(), s.seq());
        } catch (IOException | RuntimeException e) {
            LOG.error("periodic write of the meta file {} failed", metaFile.path(), e);
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
        if (metaFile != null && (autoUpdate || !writeInterval.isZero())) {
            writePublished();
        }
    }
}

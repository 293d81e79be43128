// Over 400 lines: the compare-and-swap write path, the start and the watch's life cycle share one state (etcd calls: EtcdGateway; the copy: LocalCopy).
package io.undermoon.broker.etcd;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.watch.WatchResponse;
import io.undermoon.broker.BrokerStartException;
import io.undermoon.broker.config.EtcdSettings;
import io.undermoon.broker.persist.MetaFile;
import io.undermoon.broker.service.Committed;
import io.undermoon.broker.service.MetaStorage;
import io.undermoon.broker.service.Mutation;
import io.undermoon.broker.service.Operations;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.Outcome;
import io.undermoon.broker.store.StoreDraft;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd store ({@code storage_type = "etcd"}): several brokers share one etcd cluster and each
 * serves the whole API.
 *
 * <p>Reads come from a local copy, an immutable {@link MetaStore} behind an {@link AtomicReference}
 * as in {@link io.undermoon.broker.service.LocalStorage}, kept current by an etcd watch on the prefix;
 * a read never waits for etcd. A mutation is planned on the local copy and written as one etcd
 * transaction conditioned on the head key's modification revision being the one the copy was built
 * from (compare-and-swap). Every change rewrites the head, so the condition fails whenever any
 * broker changed anything since; the transaction's else branch returns the whole prefix, the copy is
 * rebuilt from it and the mutation is planned again, up to {@value #ATTEMPTS} times before a
 * {@code RETRY} error. Only a committed transaction is answered 2xx; a transaction that etcd does not
 * confirm in {@code etcd_timeout_ms} is a {@code STORE_UNAVAILABLE} (503), and the copy is reloaded
 * before the next mutation. Because every change is planned from the latest committed store, the
 * global epoch only grows, whichever broker writes.
 *
 * <p>Within one broker, mutations are serialized by a lock so that they do not race each other. The
 * watch, the broker's own commits and full reloads update the copy under a second lock, each only
 * moving it forward in etcd revisions. A full reload also runs every {@code refresh_interval}, in
 * case a watch broke silently.
 */
public final class EtcdStorage implements MetaStorage {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdStorage.class);
    static final int ATTEMPTS = 8;


    private final EtcdSettings settings;
    private final EtcdLayout layout;
    private final EtcdGateway etcd;
    private final LocalCopy copy;
    private final ReentrantLock writer = new ReentrantLock();
    private final MetaFile metaFile;
    private final boolean autoUpdate;
    private final Duration writeInterval;
    private final Duration refreshInterval;
    private final AtomicLong fileSeq = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private volatile boolean stale;
    private volatile boolean closed;
    private volatile Watch.Watcher watcher;
    private ScheduledExecutorService background;

    private EtcdStorage(EtcdSettings settings, EtcdLayout layout, EtcdGateway etcd, MetaFile metaFile, boolean autoUpdate,
                        Duration writeInterval, Duration refreshInterval) {
        this.settings = settings;
        this.layout = layout;
        this.etcd = etcd;
        this.copy = new LocalCopy(layout);
        this.metaFile = metaFile;
        this.autoUpdate = autoUpdate && metaFile != null;
        this.writeInterval = metaFile == null ? Duration.ZERO : writeInterval;
        this.refreshInterval = refreshInterval;
    }

    /**
     * Connects, loads the store under the prefix (creating it from {@code seed} when the prefix is
     * empty) and refuses a prefix holding data that is not an undermoon store.
     *
     * @param seed the store to create when the prefix is empty (an empty store, or the meta file's)
     */
    public static EtcdStorage open(EtcdSettings settings, MetaStore seed, MetaFile metaFile, boolean autoUpdate,
                                   Duration writeInterval, Duration refreshInterval) throws BrokerStartException {
        EtcdLayout layout = new EtcdLayout(settings.prefix());
        EtcdGateway etcd = EtcdGateway.connect(settings, layout);
        EtcdStorage storage = new EtcdStorage(settings, layout, etcd, metaFile, autoUpdate, writeInterval, refreshInterval);
        try {
            storage.initialise(seed);
        } catch (BrokerException e) {
            etcd.close();
            throw new BrokerStartException("cannot use etcd at " + String.join(",", settings.endpoints()) + " (prefix "
                    + settings.prefix() + "): " + e.getMessage(), e);
        } catch (EtcdLayout.NotOursException e) {
            etcd.close();
            throw new BrokerStartException("refusing etcd prefix " + settings.prefix() + " at "
                    + String.join(",", settings.endpoints()) + ": " + e.getMessage()
                    + "; choose another etcd_prefix (it is never overwritten)", e);
        }
        return storage;
    }

    /**
     * A start while etcd elects a leader (or is slow, or this JVM is starved while it loads the gRPC
     * client) tries at least 3 times and for at least 3 x etcd_timeout_ms; while etcd accepts the
     * requests but does not answer them in time, up to 8 times.
     */
    private void initialise(MetaStore seed) throws BrokerException, EtcdLayout.NotOursException {
        long deadline = System.nanoTime() + 3 * settings.timeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                initialiseOnce(seed);
                return;
            } catch (BrokerException e) {
                boolean slowNotDown = etcd.lastTimedOut() && attempt < 8;
                if (attempt >= 3 && System.nanoTime() - deadline > 0 && !slowNotDown) {
                    throw e;
                }
                LOG.warn("etcd at {} not answering yet: {}", String.join(",", settings.endpoints()), e.getMessage());
                pause(200);
            }
        }
    }

    private void initialiseOnce(MetaStore seed) throws BrokerException, EtcdLayout.NotOursException {
        EtcdGateway.Loaded loaded = etcd.loadAll();
        if (loaded.pairs().isEmpty()) {
            SortedMap<String, byte[]> pairs = layout.encode(seed, null, null);
            TxnResponse r = etcd.create(pairs);
            if (r.isSucceeded()) {
                long rev = r.getHeader().getRevision();
                copy.install(new LocalCopy.Copy(seed, pairs, rev, rev));
                LOG.info("created the store under {} at revision {} (global epoch {}, {} clusters, {} proxies)",
                        layout.root(), rev, seed.globalEpoch(), seed.clusters().size(), seed.allProxies().size());
                return;
            }
            loaded = etcd.loadAll(); // another broker created it first
        }
        MetaStore store = layout.decode(loaded.pairs());
        copy.install(new LocalCopy.Copy(store, loaded.pairs(), loaded.headRevision(), loaded.revision()));
        LOG.info("loaded the store under {} at revision {}: global epoch {}, {} clusters, {} proxies", layout.root(),
                loaded.revision(), store.globalEpoch(), store.clusters().size(), store.allProxies().size());
    }





    @Override
    public MetaStore snapshot() {
        return copy.get().store();
    }

    @Override
    public <T> Committed<T> mutate(Mutation<T> mutation) throws BrokerException {
        writer.lock();
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                if (stale) {
                    reload();
                }
                LocalCopy.Copy current = copy.get();
                StoreDraft draft = StoreDraft.of(current.store());
                Outcome<T> outcome = Operations.apply(mutation, draft);
                MetaStore next = current.store();
                if (draft.isChanged()) {
                    next = draft.build();
                    if (!commit(current, next)) {
                        continue; // planned from an old store: planned again from the new one
                    }
                }
                return Operations.committed(outcome, next);
            }
            throw new BrokerException(BrokerError.RETRY, "the store kept changing under " + ATTEMPTS
                    + " attempts (other brokers are writing); try again");
        } finally {
            writer.unlock();
        }
    }

    /** PUT /api/v3/metadata: replaces the whole store in one transaction, unless etcd's epoch is greater. */
    @Override
    public void replaceAll(MetaStore incoming) throws BrokerException {
        if (!MetaStore.VERSION.equals(incoming.version())) {
            throw new BrokerException(BrokerError.INVALID_META_VERSION);
        }
        writer.lock();
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                if (stale) {
                    reload();
                }
                LocalCopy.Copy current = copy.get();
                if (current.store().globalEpoch() > incoming.globalEpoch()) {
                    throw new BrokerException(BrokerError.EPOCH_SMALLER_THAN_CURRENT);
                }
                if (commit(current, incoming)) {
                    return;
                }
            }
            throw new BrokerException(BrokerError.RETRY, "the store kept changing under " + ATTEMPTS + " attempts; try again");
        } finally {
            writer.unlock();
        }
    }

    /**
     * Writes {@code next} over {@code current} if etcd still holds {@code current}: true when
     * committed (the copy is then {@code next}); false when another broker wrote first (the copy is
     * then the latest store).
     */
    private boolean commit(LocalCopy.Copy current, MetaStore next) throws BrokerException {
        SortedMap<String, byte[]> pairs = layout.encode(next, current.store(), current.pairs());
        List<Op> ops = EtcdGateway.changes(current.pairs(), pairs);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        BrokerException unknown = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                stale = true; // the outcome is unknown: read the store again before the next change
                unavailable.incrementAndGet();
                throw unknown != null ? unknown : etcd.timeout("writing a change");
            }
            TxnResponse r;
            try {
                r = etcd.swap(current.headRevision(), ops, Math.min(remaining, attemptNanos()));
            } catch (BrokerException e) {
                // no answer (a leader election, a member gone): did it land? Ask, then retry if it did not
                unknown = e;
                EtcdGateway.Loaded loaded;
                try {
                    loaded = etcd.loadAll(Math.max(1, Math.min(deadline - System.nanoTime(), attemptNanos())));
                } catch (BrokerException again) {
                    pause(100);
                    continue;
                }
                if (LocalCopy.sameStore(loaded.pairs(), pairs)) {
                    copy.install(new LocalCopy.Copy(next, pairs, loaded.headRevision(), loaded.revision()));
                    afterCommit(next);
                    return true;
                }
                if (loaded.headRevision() != current.headRevision()) {
                    installLoaded(loaded);
                    return false; // another broker wrote: plan again
                }
                pause(100);
                continue; // nothing landed: send it again
            }
            long rev = r.getHeader().getRevision();
            if (r.isSucceeded()) {
                copy.install(new LocalCopy.Copy(next, pairs, rev, rev));
                afterCommit(next);
                return true;
            }
            EtcdGateway.Loaded loaded = etcd.loaded(r.getGetResponses().get(0).getKvs(), rev);
            if (LocalCopy.sameStore(loaded.pairs(), pairs)) {
                // an earlier attempt of this very change landed after we stopped waiting for it
                copy.install(new LocalCopy.Copy(next, pairs, loaded.headRevision(), rev));
                afterCommit(next);
                return true;
            }
            installLoaded(loaded);
            conflicts.incrementAndGet();
            LOG.debug("etcd store changed by another broker (head revision {} -> {}); planning again", current.headRevision(),
                    loaded.headRevision());
            return false;
        }
    }

    /**
     * One attempt's bound: a third of {@code etcd_timeout_ms} (at least 250 ms), so that a request
     * stuck on a member that lost its leader leaves time to ask another after the election.
     */
    private long attemptNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(250), settings.timeout().toNanos() / 3);
    }

    private void afterCommit(MetaStore next) {
        stale = false;
        if (autoUpdate) {
            writeFile(next);
        }
    }

    private void installLoaded(EtcdGateway.Loaded loaded) throws BrokerException {
        try {
            copy.install(loaded);
            stale = false;
        } catch (EtcdLayout.NotOursException e) {
            LOG.error("the store under {} no longer reads as an undermoon store: {}", layout.root(), e.getMessage());
            throw new BrokerException(BrokerError.INTERNAL_ERROR, "the etcd store is not readable: " + e.getMessage());
        }
    }


    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    private void reload() throws BrokerException {
        installLoaded(etcd.loadAll());
    }

    private void onWatch(WatchResponse response) {
        try {
            copy.apply(response);
        } catch (EtcdLayout.NotOursException ex) {
            LOG.error("ignoring a change under {} that does not read as an undermoon store: {}", layout.root(), ex.getMessage());
            stale = true;
        }
    }

    private void onWatchError(Throwable t) {
        if (closed) {
            return;
        }
        if (watchFailures.failed()) {
            LOG.warn("etcd watch on {} failed ({}); reloading and watching again{}", layout.root(), t.toString(),
                    repeated(watchFailures));
        } else {
            LOG.debug("etcd watch on {} failed again ({})", layout.root(), t.toString());
        }
        stale = true;
        background.schedule(this::rewatch, 500, TimeUnit.MILLISECONDS);
    }

    private synchronized void rewatch() {
        if (closed) {
            return;
        }
        try {
            refresh();
            Watch.Watcher old = watcher;
            if (old != null) {
                old.close();
            }
            watch();
            java.time.Duration lasted = watchFailures.length();
            long failures = watchFailures.succeeded();
            if (failures > 0) {
                LOG.info("etcd watch on {} is back after {} failures in {} ms", layout.root(), failures, lasted.toMillis());
            }
        } catch (RuntimeException e) {
            if (watchFailures.failed()) {
                LOG.warn("re-watching {} failed: {}{}", layout.root(), e.toString(), repeated(watchFailures));
            } else {
                LOG.debug("re-watching {} failed again: {}", layout.root(), e.toString());
            }
            background.schedule(this::rewatch, 1000, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * While etcd has no quorum the watch and its retries fail every second: the first failure and
     * then one every 30 s are logged at WARN (the rest at DEBUG), and the recovery once at INFO.
     */
    private final FailureStreak watchFailures = new FailureStreak(System::nanoTime, java.time.Duration.ofSeconds(30));
    private final FailureStreak refreshFailures = new FailureStreak(System::nanoTime, java.time.Duration.ofSeconds(30));

    private static String repeated(FailureStreak streak) {
        long n = streak.failures();
        return n <= 1 ? "" : " (" + n + " failures in " + streak.length().toSeconds() + " s; repeats are logged at DEBUG)";
    }

    private void watch() {
        long from = copy.get().revision() + 1;
        watcher = etcd.watch(from, this::onWatch, this::onWatchError, () -> {
            if (!closed) {
                onWatchError(new IllegalStateException("the watch ended"));
            }
        });
    }

    /** A full reload (periodic, and after a watch failure); failures are logged, the copy stays. */
    void refresh() {
        if (!writer.tryLock()) {
            return; // a mutation is running and reads the latest store anyway
        }
        try {
            reload();
            java.time.Duration lasted = refreshFailures.length();
            long failures = refreshFailures.succeeded();
            if (failures > 0) {
                LOG.info("etcd store refresh works again after {} failures in {} ms", failures, lasted.toMillis());
            }
        } catch (BrokerException e) {
            if (refreshFailures.failed()) {
                LOG.warn("etcd store refresh failed ({}); serving the last known store{}", e.getMessage(),
                        repeated(refreshFailures));
            } else {
                LOG.debug("etcd store refresh failed again ({})", e.getMessage());
            }
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void start() {
        background = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("broker-etcd").factory());
        watch();
        long ms = refreshInterval.toMillis();
        background.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
        if (!writeInterval.isZero()) {
            long w = writeInterval.toMillis();
            background.scheduleWithFixedDelay(() -> writeFile(copy.get().store()), w, w, TimeUnit.MILLISECONDS);
        }
    }

    /** The etcd revision the local copy reflects (tests, metrics). */
    public long revision() {
        return copy.get().revision();
    }

    /** Transactions that found another broker's change first (and were planned again). */
    public long conflicts() {
        return conflicts.get();
    }

    /** Writes answered STORE_UNAVAILABLE (etcd did not confirm in time). */
    public long unavailable() {
        return unavailable.get();
    }

    private void writeFile(MetaStore store) {
        try {
            metaFile.write(store, fileSeq.incrementAndGet());
        } catch (IOException | RuntimeException e) {
            LOG.error("failed to write the meta file {} (etcd holds the change)", metaFile.path(), e);
        }
    }





    @Override
    public void close() {
        closed = true;
        if (background != null) {
            background.shutdownNow();
        }
        Watch.Watcher w = watcher;
        if (w != null) {
            w.close();
        }
        if (metaFile != null && (autoUpdate || !writeInterval.isZero())) {
            writeFile(copy.get().store());
        }
        etcd.close();
    }
}

package io.undermoon.broker.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
    /** gRPC logs through java.util.logging; its INFO lines (GOAWAY, back-off) are noise on stderr. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    static {
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    static final int ATTEMPTS = 8;

    /** The local copy: the store, its key-value pairs, the head's modification revision, and the revision it reflects. */
    private record Copy(MetaStore store, Map<String, byte[]> pairs, long headRevision, long revision) {}

    private final EtcdSettings settings;
    private final EtcdLayout layout;
    private final Client client;
    private final ByteSequence rootKey;
    private final AtomicReference<Copy> copy = new AtomicReference<>();
    private final ReentrantLock writer = new ReentrantLock();
    private final ReentrantLock applier = new ReentrantLock();
    private final MetaFile metaFile;
    private final boolean autoUpdate;
    private final Duration writeInterval;
    private final Duration refreshInterval;
    private final AtomicLong fileSeq = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private volatile boolean stale;
    /** The last etcd request timed out (etcd reachable but slow) rather than failed. */
    private volatile boolean lastTimedOut;
    private volatile boolean closed;
    private volatile Watch.Watcher watcher;
    private ScheduledExecutorService background;

    private EtcdStorage(EtcdSettings settings, Client client, MetaFile metaFile, boolean autoUpdate, Duration writeInterval,
                        Duration refreshInterval) {
        this.settings = settings;
        this.layout = new EtcdLayout(settings.prefix());
        this.client = client;
        this.rootKey = bytes(layout.root());
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
        var builder = Client.builder()
                .endpoints(settings.endpoints().stream().map(URI::create).toArray(URI[]::new))
                .connectTimeout(settings.connectTimeout())
                .retryMaxDuration(settings.timeout())
                .keepaliveTime(Duration.ofSeconds(5))
                .keepaliveTimeout(Duration.ofSeconds(3));
        if (!settings.user().isEmpty()) {
            builder.user(bytes(settings.user())).password(bytes(settings.password()));
        }
        Client client = builder.build();
        EtcdStorage storage = new EtcdStorage(settings, client, metaFile, autoUpdate, writeInterval, refreshInterval);
        try {
            storage.initialise(seed);
        } catch (BrokerException e) {
            client.close();
            throw new BrokerStartException("cannot use etcd at " + String.join(",", settings.endpoints()) + " (prefix "
                    + settings.prefix() + "): " + e.getMessage(), e);
        } catch (EtcdLayout.NotOursException e) {
            client.close();
            throw new BrokerStartException("refusing etcd prefix " + settings.prefix() + " at "
                    + String.join(",", settings.endpoints()) + ": " + e.getMessage()
                    + "; choose another etcd_prefix (it is never overwritten)", e);
        }
        return storage;
    }

    /**
     * A start while etcd elects a leader (or is slow, or this JVM is starved while it loads the gRPC
     * client) tries at least 3 times and for at least 3 x etcd_timeout_ms; while etcd accepts the
     * requests but does not answer them in time, up to 10 times.
     */
    private void initialise(MetaStore seed) throws BrokerException, EtcdLayout.NotOursException {
        long deadline = System.nanoTime() + 3 * settings.timeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                initialiseOnce(seed);
                return;
            } catch (BrokerException e) {
                boolean slowNotDown = lastTimedOut && attempt < 10;
                if (attempt >= 3 && System.nanoTime() - deadline > 0 && !slowNotDown) {
                    throw e;
                }
                LOG.warn("etcd at {} not answering yet: {}", String.join(",", settings.endpoints()), e.getMessage());
                pause(200);
            }
        }
    }

    private void initialiseOnce(MetaStore seed) throws BrokerException, EtcdLayout.NotOursException {
        Loaded loaded = loadAll();
        if (loaded.pairs().isEmpty()) {
            SortedMap<String, byte[]> pairs = layout.encode(seed, null, null);
            List<Op> puts = new ArrayList<>();
            pairs.forEach((k, v) -> puts.add(Op.put(bytes(k), ByteSequence.from(v), PutOption.DEFAULT)));
            TxnResponse r = await(client.getKVClient().txn()
                    .If(new Cmp(bytes(layout.headKey()), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(puts.toArray(Op[]::new))
                    .commit(), "creating the store");
            if (r.isSucceeded()) {
                long rev = r.getHeader().getRevision();
                copy.set(new Copy(seed, pairs, rev, rev));
                LOG.info("created the store under {} at revision {} (global epoch {}, {} clusters, {} proxies)",
                        layout.root(), rev, seed.globalEpoch(), seed.clusters().size(), seed.allProxies().size());
                return;
            }
            loaded = loadAll(); // another broker created it first
        }
        MetaStore store = layout.decode(loaded.pairs());
        copy.set(new Copy(store, loaded.pairs(), loaded.headRevision(), loaded.revision()));
        LOG.info("loaded the store under {} at revision {}: global epoch {}, {} clusters, {} proxies", layout.root(),
                loaded.revision(), store.globalEpoch(), store.clusters().size(), store.allProxies().size());
    }

    private record Loaded(Map<String, byte[]> pairs, long headRevision, long revision) {}

    private Loaded loadAll() throws BrokerException {
        return loadAll(settings.timeout().toNanos());
    }

    private Loaded loadAll(long timeoutNanos) throws BrokerException {
        GetResponse r = await(client.getKVClient().get(rootKey, GetOption.builder().isPrefix(true).build()), "reading the store",
                timeoutNanos);
        return loaded(r.getKvs(), r.getHeader().getRevision());
    }

    private Loaded loaded(List<KeyValue> kvs, long revision) {
        Map<String, byte[]> pairs = new HashMap<>();
        long headRevision = 0;
        for (KeyValue kv : kvs) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            pairs.put(key, kv.getValue().getBytes());
            if (key.equals(layout.headKey())) {
                headRevision = kv.getModRevision();
            }
        }
        return new Loaded(pairs, headRevision, revision);
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
                Copy current = copy.get();
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
                Copy current = copy.get();
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
    private boolean commit(Copy current, MetaStore next) throws BrokerException {
        SortedMap<String, byte[]> pairs = layout.encode(next, current.store(), current.pairs());
        List<Op> ops = new ArrayList<>();
        pairs.forEach((k, v) -> {
            byte[] before = current.pairs().get(k);
            if (before == null || (before != v && !Arrays.equals(before, v))) {
                ops.add(Op.put(bytes(k), ByteSequence.from(v), PutOption.DEFAULT));
            }
        });
        for (String k : current.pairs().keySet()) {
            if (!pairs.containsKey(k)) {
                ops.add(Op.delete(bytes(k), DeleteOption.DEFAULT));
            }
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        BrokerException unknown = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                stale = true; // the outcome is unknown: read the store again before the next change
                unavailable.incrementAndGet();
                throw unknown != null ? unknown : timeout("writing a change");
            }
            TxnResponse r;
            try {
                r = await(client.getKVClient().txn()
                        .If(new Cmp(bytes(layout.headKey()), Cmp.Op.EQUAL, CmpTarget.modRevision(current.headRevision())))
                        .Then(ops.toArray(Op[]::new))
                        .Else(Op.get(rootKey, GetOption.builder().isPrefix(true).build()))
                        .commit(), "writing a change", Math.min(remaining, attemptNanos()));
            } catch (BrokerException e) {
                // no answer (a leader election, a member gone): did it land? Ask, then retry if it did not
                unknown = e;
                Loaded loaded;
                try {
                    loaded = loadAll(Math.max(1, Math.min(deadline - System.nanoTime(), attemptNanos())));
                } catch (BrokerException again) {
                    pause(100);
                    continue;
                }
                if (sameStore(loaded.pairs(), pairs)) {
                    install(new Copy(next, pairs, loaded.headRevision(), loaded.revision()));
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
                install(new Copy(next, pairs, rev, rev));
                afterCommit(next);
                return true;
            }
            Loaded loaded = loaded(r.getGetResponses().get(0).getKvs(), rev);
            if (sameStore(loaded.pairs(), pairs)) {
                // an earlier attempt of this very change landed after we stopped waiting for it
                install(new Copy(next, pairs, loaded.headRevision(), rev));
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

    private void installLoaded(Loaded loaded) throws BrokerException {
        try {
            Copy current = copy.get();
            MetaStore store = current == null ? layout.decode(loaded.pairs())
                    : layout.decode(loaded.pairs(), current.pairs(), current.store());
            install(new Copy(store, loaded.pairs(), loaded.headRevision(), loaded.revision()));
            stale = false;
        } catch (EtcdLayout.NotOursException e) {
            LOG.error("the store under {} no longer reads as an undermoon store: {}", layout.root(), e.getMessage());
            throw new BrokerException(BrokerError.INTERNAL_ERROR, "the etcd store is not readable: " + e.getMessage());
        }
    }

    private static boolean sameStore(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes {@code next} unless the copy already reflects a later revision. */
    private void install(Copy next) {
        applier.lock();
        try {
            Copy current = copy.get();
            if (current == null || next.revision() >= current.revision()) {
                copy.set(next);
            }
        } finally {
            applier.unlock();
        }
    }

    private void reload() throws BrokerException {
        installLoaded(loadAll());
    }

    private void onWatch(WatchResponse response) {
        if (response.getEvents().isEmpty()) {
            return;
        }
        applier.lock();
        try {
            Copy current = copy.get();
            Map<String, byte[]> pairs = null;
            long headRevision = current.headRevision();
            long revision = current.revision();
            for (WatchEvent e : response.getEvents()) {
                KeyValue kv = e.getKeyValue();
                long modRevision = kv.getModRevision();
                if (modRevision <= current.revision()) {
                    continue; // our own commit, or a reload, already holds it
                }
                if (pairs == null) {
                    pairs = new HashMap<>(current.pairs());
                }
                String key = kv.getKey().toString(StandardCharsets.UTF_8);
                if (e.getEventType() == WatchEvent.EventType.DELETE) {
                    pairs.remove(key);
                } else {
                    pairs.put(key, kv.getValue().getBytes());
                    if (key.equals(layout.headKey())) {
                        headRevision = modRevision;
                    }
                }
                revision = Math.max(revision, modRevision);
            }
            if (pairs == null) {
                return;
            }
            try {
                copy.set(new Copy(layout.decode(pairs, current.pairs(), current.store()), pairs, headRevision, revision));
            } catch (EtcdLayout.NotOursException ex) {
                LOG.error("ignoring a change under {} that does not read as an undermoon store: {}", layout.root(), ex.getMessage());
                stale = true;
            }
        } finally {
            applier.unlock();
        }
    }

    private void onWatchError(Throwable t) {
        if (closed) {
            return;
        }
        LOG.warn("etcd watch on {} failed ({}); reloading and watching again", layout.root(), t.toString());
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
        } catch (RuntimeException e) {
            LOG.warn("re-watching {} failed: {}", layout.root(), e.toString());
            background.schedule(this::rewatch, 1000, TimeUnit.MILLISECONDS);
        }
    }

    private void watch() {
        long from = copy.get().revision() + 1;
        watcher = client.getWatchClient().watch(rootKey,
                WatchOption.builder().isPrefix(true).withRevision(from).withRequireLeader(true).build(),
                Watch.listener(this::onWatch, this::onWatchError, () -> {
                    if (!closed) {
                        onWatchError(new IllegalStateException("the watch ended"));
                    }
                }));
    }

    /** A full reload (periodic, and after a watch failure); failures are logged, the copy stays. */
    void refresh() {
        if (!writer.tryLock()) {
            return; // a mutation is running and reads the latest store anyway
        }
        try {
            reload();
        } catch (BrokerException e) {
            LOG.warn("etcd store refresh failed ({}); serving the last known store", e.getMessage());
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

    private <R> R await(CompletableFuture<R> future, String what) throws BrokerException {
        return await(future, what, settings.timeout().toNanos());
    }

    private BrokerException timeout(String what) {
        return new BrokerException(BrokerError.STORE_UNAVAILABLE, "etcd did not answer " + what + " within "
                + settings.timeout().toMillis() + " ms (endpoints " + String.join(",", settings.endpoints())
                + "; no quorum, or unreachable)");
    }

    private <R> R await(CompletableFuture<R> future, String what, long timeoutNanos) throws BrokerException {
        try {
            R r = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            lastTimedOut = false;
            return r;
        } catch (TimeoutException e) {
            future.cancel(true);
            lastTimedOut = true;
            throw timeout(what);
        } catch (ExecutionException e) {
            lastTimedOut = false;
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BrokerException(BrokerError.STORE_UNAVAILABLE, "etcd failed " + what + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(BrokerError.STORE_UNAVAILABLE, "interrupted while " + what);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
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
        client.close();
    }
}

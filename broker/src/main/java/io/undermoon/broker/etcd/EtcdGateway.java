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
import io.etcd.jetcd.watch.WatchResponse;
import io.undermoon.broker.config.EtcdSettings;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The etcd calls of the store, each bounded: read everything under the prefix, create the store
 * once, swap keys conditioned on the head's revision, watch the prefix. A call etcd does not answer
 * in time, or fails, is a {@code STORE_UNAVAILABLE} {@link BrokerException}; nothing here decides
 * what the store means (that is {@link EtcdLayout}) or when to retry (that is {@link EtcdStorage}).
 */
final class EtcdGateway implements AutoCloseable {
    /** gRPC logs through java.util.logging; its INFO lines (GOAWAY, back-off) are noise on stderr. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    static {
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Every key under the prefix at one revision, with the head's modification revision. */
    record Loaded(Map<String, byte[]> pairs, long headRevision, long revision) {}

    private final EtcdSettings settings;
    private final EtcdLayout layout;
    private final Client client;
    private final ByteSequence rootKey;
    private final ByteSequence headKey;
    private volatile boolean lastTimedOut;

    private EtcdGateway(EtcdSettings settings, EtcdLayout layout, Client client) {
        this.settings = settings;
        this.layout = layout;
        this.client = client;
        this.rootKey = bytes(layout.root());
        this.headKey = bytes(layout.headKey());
    }

    /** A client of the configured endpoints (connections are made lazily, by the first call). */
    static EtcdGateway connect(EtcdSettings settings, EtcdLayout layout) {
        var builder = Client.builder()
                .endpoints(settings.endpoints().stream().map(URI::create).toArray(URI[]::new))
                .connectTimeout(settings.connectTimeout())
                // jetcd's own retries give up before our bound, so that a refused endpoint is a failure, not a timeout
                .retryMaxDuration(settings.timeout().dividedBy(2))
                .keepaliveTime(Duration.ofSeconds(5))
                .keepaliveTimeout(Duration.ofSeconds(3));
        if (!settings.user().isEmpty()) {
            builder.user(bytes(settings.user())).password(bytes(settings.password()));
        }
        return new EtcdGateway(settings, layout, builder.build());
    }

    /** Everything under the prefix (a linearizable read). */
    Loaded loadAll(long timeoutNanos) throws BrokerException {
        GetResponse r = await(client.getKVClient().get(rootKey, GetOption.builder().isPrefix(true).build()), "reading the store",
                timeoutNanos);
        return loaded(r.getKvs(), r.getHeader().getRevision());
    }

    Loaded loadAll() throws BrokerException {
        return loadAll(settings.timeout().toNanos());
    }

    Loaded loaded(List<KeyValue> kvs, long revision) {
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

    /** Writes {@code pairs} if the head does not exist yet (two brokers starting at once create the store once). */
    TxnResponse create(Map<String, byte[]> pairs) throws BrokerException {
        List<Op> puts = new ArrayList<>();
        pairs.forEach((k, v) -> puts.add(Op.put(bytes(k), ByteSequence.from(v), PutOption.DEFAULT)));
        return await(client.getKVClient().txn()
                .If(new Cmp(headKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(puts.toArray(Op[]::new))
                .commit(), "creating the store", settings.timeout().toNanos());
    }

    /**
     * Applies {@code ops} if the head's modification revision is still {@code headRevision}; else
     * answers everything under the prefix (in {@code getGetResponses()}).
     */
    TxnResponse swap(long headRevision, List<Op> ops, long timeoutNanos) throws BrokerException {
        return await(client.getKVClient().txn()
                .If(new Cmp(headKey, Cmp.Op.EQUAL, CmpTarget.modRevision(headRevision)))
                .Then(ops.toArray(Op[]::new))
                .Else(Op.get(rootKey, GetOption.builder().isPrefix(true).build()))
                .commit(), "writing a change", timeoutNanos);
    }

    /** The puts and deletes that turn the pairs {@code before} into {@code after}. */
    static List<Op> changes(Map<String, byte[]> before, Map<String, byte[]> after) {
        List<Op> ops = new ArrayList<>();
        after.forEach((k, v) -> {
            byte[] old = before.get(k);
            if (old == null || (old != v && !Arrays.equals(old, v))) {
                ops.add(Op.put(bytes(k), ByteSequence.from(v), PutOption.DEFAULT));
            }
        });
        for (String k : before.keySet()) {
            if (!after.containsKey(k)) {
                ops.add(Op.delete(bytes(k), DeleteOption.DEFAULT));
            }
        }
        return ops;
    }

    /** Watches the prefix from {@code fromRevision}, only while the member has a leader. */
    Watch.Watcher watch(long fromRevision, Consumer<WatchResponse> events, Consumer<Throwable> error, Runnable completed) {
        return client.getWatchClient().watch(rootKey,
                WatchOption.builder().isPrefix(true).withRevision(fromRevision).withRequireLeader(true).build(),
                Watch.listener(events, error, completed));
    }

    /** The last call timed out (etcd reachable but slow) rather than failed. */
    boolean lastTimedOut() {
        return lastTimedOut;
    }

    BrokerException timeout(String what) {
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

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.close();
    }
}

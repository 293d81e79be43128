package io.undermoon.proxy.migration;

import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.function.Consumer;

/**
 * Copies keys of a slot range from the source Redis to the destination Redis. The scan: PTTL+DUMP on the
 * source, RESTORE (never REPLACE: a value already at the destination is newer and wins) on the
 * destination, then DEL on the source; on-demand moves (UMSYNC): one MIGRATE on the source. Each
 * instance has its own connections and is used by one thread (the scan, or the UMSYNC worker);
 * {@link KeyLocks} keep the two off the same key.
 */
final class KeyMover {
    /** A key the importing proxy wants moved now, and how to answer it. */
    record SyncRequest(byte[] key, Consumer<String> reply) {}

    private static final byte[] PTTL = bytes("PTTL");
    private static final byte[] DUMP = bytes("DUMP");
    private static final byte[] RESTORE = bytes("RESTORE");
    private static final byte[] DEL = bytes("DEL");
    private static final byte[] SCAN = bytes("SCAN");
    private static final byte[] EXISTS = bytes("EXISTS");
    private static final byte[] MIGRATE = bytes("MIGRATE");
    private static final byte[] KEYS = bytes("KEYS");
    private static final byte[] NO_KEY = new byte[0];
    private static final byte[] DB_ZERO = bytes("0");
    private static final byte[] COUNT = bytes("COUNT");

    private final String sourceAddress;
    private final String destinationAddress;
    private final RangeList ranges;
    private final Duration timeout;
    private final MigrationStats stats;
    private final KeyLocks locks;
    private BlockingRespClient source;
    private BlockingRespClient destination;
    private final List<byte[]> pendingDeletes = new ArrayList<>();

    KeyMover(String sourceAddress, String destinationAddress, RangeList ranges, Duration timeout, MigrationStats stats,
            KeyLocks locks) {
        this.locks = locks;
        this.sourceAddress = sourceAddress;
        this.destinationAddress = destinationAddress;
        this.ranges = ranges;
        this.timeout = timeout;
        this.stats = stats;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private BlockingRespClient source() throws IOException {
        if (source == null || !source.isOpen()) {
            source = BlockingRespClient.connect(sourceAddress, timeout);
        }
        return source;
    }

    private BlockingRespClient destination() throws IOException {
        if (destination == null || !destination.isOpen()) {
            destination = BlockingRespClient.connect(destinationAddress, timeout);
        }
        return destination;
    }

    /**
     * One SCAN step: moves the range's keys it returned and gives the next cursor. The DEL of the
     * previous step's keys travels in the same write as this SCAN (they are already restored on the
     * destination, so a second mover would only see BUSYKEY), saving a round trip per batch.
     */
    String scanOnce(String cursor, int count) throws IOException {
        List<byte[][]> cmds = new ArrayList<>(2);
        if (!pendingDeletes.isEmpty()) {
            cmds.add(delCommand(pendingDeletes));
        }
        cmds.add(new byte[][] {SCAN, bytes(cursor), COUNT, bytes(Integer.toString(count))});
        List<RespReply> replies = source().pipeline(cmds);
        if (replies.size() == 2 && replies.get(0) instanceof RespReply.Error e) {
            throw new IOException("DEL failed on " + sourceAddress + ": " + e.message());
        }
        pendingDeletes.clear();
        RespReply reply = replies.get(replies.size() - 1);
        if (!(reply instanceof RespReply.Array a) || a.items().size() != 2
                || !(a.items().get(0) instanceof RespReply.Bulk next) || !(a.items().get(1) instanceof RespReply.Array keys)) {
            throw new IOException("unexpected SCAN reply from " + sourceAddress + ": " + reply);
        }
        List<byte[]> mine = new ArrayList<>();
        for (RespReply k : keys.items()) {
            if (k instanceof RespReply.Bulk b) {
                byte[] key = b.data();
                stats.scannedKeys.increment();
                if (ranges.contains(SlotHash.slot(key))) {
                    mine.add(key);
                }
            }
        }
        List<byte[]> locked = locks.tryLockAll(mine);
        try {
            pendingDeletes.addAll(restore(locked));
        } finally {
            locks.unlockAll(locked);
        }
        String nextCursor = next.text();
        if (nextCursor.equals("0")) {
            flushDeletes();
        }
        return nextCursor;
    }

    /** Sends the DEL of the last step's keys, if any. */
    void flushDeletes() throws IOException {
        if (pendingDeletes.isEmpty()) {
            return;
        }
        RespReply r = source().command(delCommand(pendingDeletes));
        if (r instanceof RespReply.Error e) {
            throw new IOException("DEL failed on " + sourceAddress + ": " + e.message());
        }
        pendingDeletes.clear();
    }

    private static byte[][] delCommand(List<byte[]> keys) {
        byte[][] del = new byte[keys.size() + 1][];
        del[0] = DEL;
        for (int i = 0; i < keys.size(); i++) {
            del[i + 1] = keys.get(i);
        }
        return del;
    }

    /**
     * Moves the keys of the queued UMSYNC requests (waiting for at most {@code waitNanos} for the
     * first) and answers them. Keys the scan is moving are waited for.
     */
    void serveSyncs(BlockingDeque<SyncRequest> queue, int max, long waitNanos) throws IOException, InterruptedException {
        List<SyncRequest> batch = new ArrayList<>();
        SyncRequest first = queue.poll(waitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        queue.drainTo(batch, Math.max(1, max) - 1);
        List<byte[]> keys = new ArrayList<>(batch.size());
        for (SyncRequest r : batch) {
            keys.add(r.key());
        }
        List<byte[]> unique = distinct(keys);
        locks.lockAll(unique);
        try {
            migrate(unique);
        } catch (IOException | RuntimeException e) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
            }
            throw e;
        } finally {
            locks.unlockAll(unique);
        }
        for (SyncRequest r : batch) {
            r.reply().accept("+OK");
        }
    }

    private static List<byte[]> distinct(List<byte[]> keys) {
        java.util.Set<java.nio.ByteBuffer> seen = new java.util.HashSet<>();
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (seen.add(java.nio.ByteBuffer.wrap(k))) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Moves keys Redis to Redis with one {@code MIGRATE} on the source (no REPLACE, no COPY): the
     * source restores each key it has on the destination and deletes it once restored, in one round
     * trip from here instead of three, and without the payloads passing through this proxy. The
     * {@code EXISTS} sent in the same write counts the keys for the statistics (nothing else writes
     * these keys on the source while their locks are held). A key the destination already has
     * (BUSYKEY: a newer value written there) makes MIGRATE fail and stay on the source; it is then
     * deleted there if, and only if, the destination has it.
     */
    void migrate(List<byte[]> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        int colon = destinationAddress.lastIndexOf(':');
        byte[][] cmd = new byte[7 + keys.size()][];
        cmd[0] = MIGRATE;
        cmd[1] = bytes(destinationAddress.substring(0, colon));
        cmd[2] = bytes(destinationAddress.substring(colon + 1));
        cmd[3] = NO_KEY;
        cmd[4] = DB_ZERO;
        cmd[5] = bytes(Long.toString(timeout.toMillis()));
        cmd[6] = KEYS;
        byte[][] exists = new byte[1 + keys.size()][];
        exists[0] = EXISTS;
        for (int i = 0; i < keys.size(); i++) {
            cmd[7 + i] = keys.get(i);
            exists[1 + i] = keys.get(i);
        }
        List<RespReply> replies = source().pipeline(List.of(exists, cmd));
        long present = replies.get(0) instanceof RespReply.Int n ? n.value() : 0;
        RespReply r = replies.get(1);
        if (r instanceof RespReply.Simple ok) {
            if (ok.text().equals("OK")) {
                stats.movedKeys.add(present);
            }
            return; // OK, or NOKEY: none of them was on the source
        }
        String error = r instanceof RespReply.Error e ? e.message() : String.valueOf(r);
        if (!error.contains("BUSYKEY")) {
            throw new IOException("MIGRATE failed on " + sourceAddress + ": " + error);
        }
        stats.movedKeys.add(Math.max(0, present - resolveBusyKeys(keys)));
    }

    /**
     * After a MIGRATE refused by BUSYKEY: deletes from the source the keys the destination has, and
     * returns how many.
     */
    private int resolveBusyKeys(List<byte[]> keys) throws IOException {
        List<byte[][]> checks = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            checks.add(new byte[][] {EXISTS, k});
        }
        List<RespReply> atSource = source().pipeline(checks);
        List<RespReply> atDestination = destination().pipeline(checks);
        List<byte[]> toDelete = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            boolean onSource = atSource.get(i) instanceof RespReply.Int n && n.value() > 0;
            boolean onDestination = atDestination.get(i) instanceof RespReply.Int n && n.value() > 0;
            if (onSource && onDestination) {
                toDelete.add(keys.get(i));
                stats.busyKeys.increment();
            } else if (onSource) {
                throw new IOException("MIGRATE left " + new String(keys.get(i), StandardCharsets.UTF_8)
                        + " on " + sourceAddress + " without a copy on " + destinationAddress);
            }
        }
        if (!toDelete.isEmpty()) {
            RespReply d = source().command(delCommand(toDelete));
            if (d instanceof RespReply.Error e) {
                throw new IOException("DEL failed on " + sourceAddress + ": " + e.message());
            }
        }
        return toDelete.size();
    }

    /**
     * Copies keys to the destination (PTTL+DUMP, then RESTORE without REPLACE) and returns the keys
     * now safe to delete from the source. An IOException leaves everything where it was.
     */
    private List<byte[]> restore(List<byte[]> keys) throws IOException {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<byte[][]> reads = new ArrayList<>(keys.size() * 2);
        for (byte[] k : keys) {
            reads.add(new byte[][] {PTTL, k});
            reads.add(new byte[][] {DUMP, k});
        }
        List<RespReply> got = source().pipeline(reads);
        List<byte[]> toDelete = new ArrayList<>(keys.size());
        List<byte[]> restored = new ArrayList<>(keys.size());
        List<byte[][]> restores = new ArrayList<>(keys.size());
        long bytesMoved = 0;
        for (int i = 0; i < keys.size(); i++) {
            RespReply ttlReply = got.get(2 * i);
            RespReply dump = got.get(2 * i + 1);
            if (ttlReply instanceof RespReply.Error e) {
                throw new IOException("PTTL failed on " + sourceAddress + ": " + e.message());
            }
            if (dump instanceof RespReply.Error e) {
                throw new IOException("DUMP failed on " + sourceAddress + ": " + e.message());
            }
            long ttl = ttlReply instanceof RespReply.Int n ? n.value() : -2;
            if (ttl == -2 || !(dump instanceof RespReply.Bulk payload)) {
                continue; // gone (deleted or expired) meanwhile
            }
            if (ttl == 0) {
                toDelete.add(keys.get(i)); // expiring right now: do not revive it without a TTL
                continue;
            }
            byte[] data = payload.data();
            bytesMoved += data.length;
            restores.add(new byte[][] {RESTORE, keys.get(i), bytes(Long.toString(Math.max(0, ttl))), data});
            restored.add(keys.get(i));
        }
        if (!restores.isEmpty()) {
            List<RespReply> results = destination().pipeline(restores);
            for (int i = 0; i < results.size(); i++) {
                RespReply r = results.get(i);
                if (r instanceof RespReply.Error e) {
                    if (e.message().startsWith("BUSYKEY")) {
                        stats.busyKeys.increment();
                    } else {
                        throw new IOException("RESTORE failed on " + destinationAddress + ": " + e.message());
                    }
                } else {
                    stats.movedKeys.increment();
                }
                toDelete.add(restored.get(i));
            }
        }
        stats.movedBytes.add(bytesMoved);
        return toDelete;
    }

    void close() {
        // pendingDeletes survive: the retried step sends them again (they are already on the destination)
        if (source != null) {
            source.close();
            source = null;
        }
        if (destination != null) {
            destination.close();
            destination = null;
        }
    }
}

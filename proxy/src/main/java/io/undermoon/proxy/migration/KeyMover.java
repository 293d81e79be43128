package io.undermoon.proxy.migration;

import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Moves keys of a slot range from the source Redis to the destination Redis, always with {@code
 * MIGRATE <destination> "" 0 <timeout> KEYS ...} on the source: Redis restores each key it has on
 * the destination (RESTORE, never REPLACE: a value already there is newer and wins) and deletes it
 * once restored, atomically on the source. A key therefore leaves the source exactly once, whoever
 * moves it (the scan, the UMSYNC worker, or the importing proxy pulling it for a client), and no
 * stale copy is ever in flight: no lock between the movers is needed, and a key deleted or expired
 * on the destination cannot come back. Each instance has its own connection and is used by one
 * thread (the scan, or the UMSYNC worker).
 */
final class KeyMover {
    /** A key the importing proxy wants moved now, and how to answer it. */
    record SyncRequest(byte[] key, Consumer<String> reply) {}

    private static final byte[] DEL = bytes("DEL");
    private static final byte[] SCAN = bytes("SCAN");
    private static final byte[] COUNT = bytes("COUNT");
    private static final byte[] EXISTS = bytes("EXISTS");
    private static final byte[] MEMORY = bytes("MEMORY");
    private static final byte[] USAGE = bytes("USAGE");
    private static final byte[] INFO = bytes("INFO");
    private static final byte[] STATS = bytes("stats");
    private static final byte[] SERVER = bytes("server");
    private static final String RUN_ID = "run_id:";
    private static final String TOTAL_COMMANDS = "total_commands_processed:";

    private final String sourceAddress;
    private final String destinationAddress;
    private final MigrateHead migrate;
    private final RangeList ranges;
    private final Duration timeout;
    private final MigrationStats stats;
    private BlockingRespClient source;
    private BlockingRespClient destination;
    /** Keys of the range the last SCAN returned, moved in the same write as the next SCAN. */
    private List<byte[]> pending = List.of();
    /** Commands this mover sent to the source, to tell them from everybody else's. */
    private long sentToSource;
    /** The run_id of the source process on the current connection (null: not read yet). */
    private String connectedRunId;
    /** The run_id of the source process that gave the cursor the scan continues with. */
    private String cursorRunId;

    /**
     * @param migrateTimeoutMillis how long the source Redis may block on the destination in one
     *                             MIGRATE (it serves nobody meanwhile)
     */
    KeyMover(String sourceAddress, String destinationAddress, RangeList ranges, Duration timeout, long migrateTimeoutMillis,
            MigrationStats stats) {
        this.sourceAddress = sourceAddress;
        this.destinationAddress = destinationAddress;
        this.migrate = new MigrateHead(destinationAddress, migrateTimeoutMillis);
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
     * One scan step: moves the range's keys the previous step found and, in the same write, runs
     * the next {@code SCAN cursor COUNT count}; returns the next cursor. Only deletions happen to
     * the range's keys on the source during the scan (the range is served by the destination), so
     * SCAN still returns every key that stays. When the cursor comes back to 0 the last keys are
     * moved before returning. After an IOException the same step can be retried: the keys still
     * pending are moved again (MIGRATE of a key already moved is a no-op). The pacing between
     * steps is the caller's ({@link ScanPacer}).
     */
    String scanOnce(String cursor, int count) throws IOException {
        String runId = sourceRunId();
        if (!cursor.equals("0") && !runId.equals(cursorRunId)) {
            // the source restarted since this cursor was given (kill -9 and a reload of its append-only
            // file, say): a cursor is a position in the hash table of the process that gave it, and the
            // new process lays its keys out differently (a new hash seed), so going on with it would skip
            // keys and declare the range copied with keys left behind. The walk starts again.
            cursor = "0";
            stats.scanRestarts.increment();
        }
        cursorRunId = runId;
        List<byte[][]> cmds = new ArrayList<>(pending.size() + 3);
        int moveAt = cmds.size();
        addMove(cmds, pending, true);
        int scanAt = cmds.size();
        cmds.add(new byte[][] {SCAN, bytes(cursor), COUNT, bytes(Integer.toString(count))});
        List<RespReply> replies = toSource(cmds);
        if (!pending.isEmpty()) {
            checkMove(replies, moveAt, pending, true);
            pending = List.of();
        }
        RespReply reply = replies.get(scanAt);
        if (!(reply instanceof RespReply.Array a) || a.items().size() != 2
                || !(a.items().get(0) instanceof RespReply.Bulk next) || !(a.items().get(1) instanceof RespReply.Array keys)) {
            throw new IOException("unexpected SCAN reply from " + sourceAddress + ": " + reply);
        }
        List<byte[]> mine = new ArrayList<>();
        for (RespReply k : keys.items()) {
            if (k instanceof RespReply.Bulk b) {
                stats.scannedKeys.increment();
                if (ranges.contains(SlotHash.slot(b.data()))) {
                    mine.add(b.data());
                }
            }
        }
        pending = mine;
        String nextCursor = next.text();
        if (nextCursor.equals("0") && !pending.isEmpty()) {
            move(pending);
            pending = List.of();
        }
        return nextCursor;
    }

    /**
     * Moves the keys of the queued UMSYNC requests (waiting for at most {@code waitNanos} for the
     * first) and answers them; on failure they are queued again.
     */
    void serveSyncs(BlockingDeque<SyncRequest> queue, int max, long waitNanos) throws IOException, InterruptedException {
        List<SyncRequest> batch = new ArrayList<>();
        SyncRequest first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        queue.drainTo(batch, Math.max(1, max) - 1);
        List<byte[]> keys = new ArrayList<>(batch.size());
        for (SyncRequest r : batch) {
            keys.add(r.key());
        }
        try {
            move(distinct(keys));
        } catch (IOException | RuntimeException e) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
            }
            throw e;
        }
        for (SyncRequest r : batch) {
            r.reply().accept("+OK");
        }
    }

    private static List<byte[]> distinct(List<byte[]> keys) {
        Set<ByteBuffer> seen = new HashSet<>();
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (seen.add(ByteBuffer.wrap(k))) {
                out.add(k);
            }
        }
        return out;
    }

    /** Moves keys now (one MIGRATE, with an EXISTS in the same write counting them). */
    void move(List<byte[]> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        List<byte[][]> cmds = new ArrayList<>(2);
        addMove(cmds, keys, false);
        checkMove(toSource(cmds), 0, keys, false);
    }

    /**
     * The scan's bytes statistic asks {@code MEMORY USAGE} of one key in this many (the first, the
     * 17th...) and scales: asking it of every key doubled the commands the source ran per key moved.
     */
    static final int SIZE_SAMPLE_EVERY = 16;

    private static int sampledKeys(int keys) {
        return (keys + SIZE_SAMPLE_EVERY - 1) / SIZE_SAMPLE_EVERY;
    }

    /**
     * Appends, for non-empty {@code keys}: with {@code sizes} a {@code MEMORY USAGE} of one key in
     * {@link #SIZE_SAMPLE_EVERY} (the bytes statistic, an estimate), then {@code EXISTS keys} (the
     * keys statistic), then the MIGRATE.
     */
    private void addMove(List<byte[][]> cmds, List<byte[]> keys, boolean sizes) {
        if (keys.isEmpty()) {
            return;
        }
        if (sizes) {
            for (int i = 0; i < keys.size(); i += SIZE_SAMPLE_EVERY) {
                cmds.add(new byte[][] {MEMORY, USAGE, keys.get(i)});
            }
        }
        byte[][] exists = new byte[1 + keys.size()][];
        exists[0] = EXISTS;
        for (int i = 0; i < keys.size(); i++) {
            exists[1 + i] = keys.get(i);
        }
        cmds.add(exists);
        cmds.add(migrate.command(keys));
    }

    /** Checks the replies of {@link #addMove} starting at {@code at}; counts; resolves BUSYKEY. */
    private void checkMove(List<RespReply> replies, int at, List<byte[]> keys, boolean sizes) throws IOException {
        long bytes = 0;
        if (sizes) {
            int sampled = sampledKeys(keys.size());
            long sampledBytes = 0;
            for (int i = 0; i < sampled; i++) {
                if (replies.get(at + i) instanceof RespReply.Int n) {
                    sampledBytes += n.value();
                }
            }
            bytes = sampledBytes * keys.size() / sampled;
            at += sampled;
        }
        long present = replies.get(at) instanceof RespReply.Int n ? n.value() : 0;
        RespReply r = replies.get(at + 1);
        if (r instanceof RespReply.Simple ok) {
            if (ok.text().equals("OK")) {
                stats.movedKeys.add(present);
                stats.movedBytes.add(bytes);
            }
            return; // OK, or NOKEY: none of them was on the source any more
        }
        String error = r instanceof RespReply.Error e ? e.message() : String.valueOf(r);
        if (!error.contains("BUSYKEY")) {
            throw new IOException("MIGRATE failed on " + sourceAddress + ": " + error);
        }
        stats.movedKeys.add(Math.max(0, present - resolveBusyKeys(keys)));
    }

    /**
     * After a MIGRATE refused by BUSYKEY (the destination has a newer value of some key; MIGRATE
     * moved the others and left those): deletes from the source the keys the destination has, and
     * returns how many. A key left on the source without a copy on the destination is an error
     * (nothing of it is deleted; the move is retried).
     */
    private int resolveBusyKeys(List<byte[]> keys) throws IOException {
        List<byte[][]> checks = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            checks.add(new byte[][] {EXISTS, k});
        }
        List<RespReply> atSource = toSource(checks);
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
            byte[][] del = new byte[toDelete.size() + 1][];
            del[0] = DEL;
            for (int i = 0; i < toDelete.size(); i++) {
                del[i + 1] = toDelete.get(i);
            }
            RespReply d = toSource(List.<byte[][]>of(del)).get(0);
            if (d instanceof RespReply.Error e) {
                throw new IOException("DEL failed on " + sourceAddress + ": " + e.message());
            }
        }
        return toDelete.size();
    }

    private List<RespReply> toSource(List<byte[][]> cmds) throws IOException {
        sentToSource += cmds.size();
        return source().pipeline(cmds);
    }

    /**
     * How many commands the source Redis has processed for others than this mover
     * ({@code total_commands_processed} of {@code INFO stats}, minus what this mover sent): the
     * load of the clients on the source, whichever proxy they come through (the importing proxy's
     * reads and pulls go straight to it). One round trip; call it now and then, not per step.
     */
    long othersCommandsOnSource() throws IOException {
        RespReply r = toSource(List.<byte[][]>of(new byte[][] {INFO, STATS})).get(0);
        if (r instanceof RespReply.Bulk b) {
            String text = b.text();
            int at = text.indexOf(TOTAL_COMMANDS);
            if (at >= 0) {
                int from = at + TOTAL_COMMANDS.length();
                int to = from;
                while (to < text.length() && Character.isDigit(text.charAt(to))) {
                    to++;
                }
                if (to > from) {
                    return Long.parseLong(text, from, to, 10) - sentToSource;
                }
            }
        }
        throw new IOException("no total_commands_processed in INFO stats of " + sourceAddress + ": " + r);
    }

    /** The source's run_id ({@code INFO server}), read once per connection. */
    private String sourceRunId() throws IOException {
        if (connectedRunId == null || source == null || !source.isOpen()) {
            connectedRunId = null;
            RespReply r = toSource(List.<byte[][]>of(new byte[][] {INFO, SERVER})).get(0);
            String info = r instanceof RespReply.Bulk b ? new String(b.data(), StandardCharsets.UTF_8) : "";
            int at = info.indexOf(RUN_ID);
            if (at < 0) {
                throw new IOException("no run_id in INFO server of " + sourceAddress + ": " + r);
            }
            int end = info.indexOf('\r', at);
            connectedRunId = info.substring(at + RUN_ID.length(), end < 0 ? info.length() : end).strip();
        }
        return connectedRunId;
    }

    void close() {
        // pending keys survive: the retried step moves them again
        connectedRunId = null;
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

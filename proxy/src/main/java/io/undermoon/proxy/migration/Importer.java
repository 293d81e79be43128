package io.undermoon.proxy.migration;

import io.netty.buffer.ByteBuf;
import io.undermoon.proxy.backend.LoopResources;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.session.Replies;
import io.undermoon.proxy.session.ReplyTarget;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Makes every key of one command local on the importing side before the command runs. A command
 * that cannot delete pulls its keys itself: one {@code MIGRATE <destination> "" 0 <timeout> KEYS
 * ...} on the source Redis, which copies each key it still has to the destination Redis (RESTORE,
 * never REPLACE) and deletes it, atomically on the source, and answers NOKEY when it has none: the
 * reference's "EXISTS, then DUMP/PTTL from the source and RESTORE here" in one round trip, and
 * without a window in which a second copy of the value is in flight. A command that may delete asks
 * the migrating proxy to move each key ({@code UMSYNC}), as the protocol prescribes. Runs as a
 * chain of replies on the session's event loop.
 */
public final class Importer implements ReplyTarget {
    private enum Phase { MIGRATE, UMSYNC }

    /** How long the source Redis may block on the destination during one pull (MIGRATE's timeout). */
    static final long MIGRATE_TIMEOUT_MILLIS = 2000;

    /** Retries of a UMSYNC the source answered MIGRATION_TASK_NOT_FOUND before it knew the task. */
    private static final int UNCONFIRMED_RETRIES = 500;
    private static final long UNCONFIRMED_RETRY_MILLIS = 10;

    private final Command command;
    private final ImportingTask task;
    private final LoopResources loop;
    private final long sessionId;
    private final LocalBackend destination;
    private final MigrationStats stats;
    private final Runnable then;
    private final int[] keys;
    private final boolean deleting;
    private int index;
    private Phase phase;
    private int unconfirmedRetries;
    private boolean sourceKnewTask;

    public Importer(Command command, ImportingTask task, LoopResources loop, long sessionId, LocalBackend destination,
            MigrationStats stats, Runnable then) {
        this.command = command;
        this.task = task;
        this.loop = loop;
        this.sessionId = sessionId;
        this.destination = destination;
        this.stats = stats;
        this.then = then;
        this.keys = KeyFinder.keyIndexes(command, command.spec());
        this.deleting = command.spec().mayDelete();
    }

    public void start() {
        step();
    }

    private void step() {
        if (command.isCancelled()) {
            return;
        }
        if (index == keys.length) {
            then.run();
            return;
        }
        if (deleting) {
            sendUmsync(command.argBytes(keys[index]));
        } else {
            sendMigrate();
        }
    }

    /** One MIGRATE of every key of the command from the source Redis to ours. */
    private void sendMigrate() {
        phase = Phase.MIGRATE;
        stats.importPulls.increment();
        String dst = task.meta().dstNodeAddress();
        int colon = dst.lastIndexOf(':');
        int size = 64 + dst.length();
        for (int k : keys) {
            size += command.argLength(k) + 16;
        }
        ByteBuf b = loop.alloc().buffer(size);
        RespWriter.arrayHeader(b, 7 + keys.length);
        RespWriter.bulk(b, "MIGRATE");
        RespWriter.bulk(b, dst.substring(0, colon));
        RespWriter.bulk(b, dst.substring(colon + 1));
        RespWriter.bulk(b, "");
        RespWriter.bulk(b, "0");
        RespWriter.bulk(b, Long.toString(MIGRATE_TIMEOUT_MILLIS));
        RespWriter.bulk(b, "KEYS");
        for (int k : keys) {
            RespWriter.bulkHeader(b, command.argLength(k));
            b.writeBytes(command.raw(), command.argOffset(k), command.argLength(k));
            b.writeByte('\r').writeByte('\n');
        }
        loop.redisGroupFor(task.meta().srcNodeAddress()).connection(sessionId).send(b, this);
    }

    private void sendUmsync(byte[] key) {
        phase = Phase.UMSYNC;
        // read before sending: the source sends its first switch command only once it has the task,
        // so a UMSYNC sent after that command arrived reaches a source that knows the task
        sourceKnewTask = task.sourceKnowsTask();
        stats.umsyncSent.increment();
        loop.groupFor(task.meta().srcProxyAddress()).connection(sessionId).send(encode("UMSYNC", key), this);
    }

    private ByteBuf encode(String name, byte[] key) {
        ByteBuf b = loop.alloc().buffer(key.length + 32);
        RespWriter.command(b, List.of(name.getBytes(StandardCharsets.US_ASCII), key));
        return b;
    }

    @Override
    public void complete(ByteBuf reply) {
        String text;
        byte type;
        try {
            type = reply.getByte(reply.readerIndex());
            int lf = reply.indexOf(reply.readerIndex(), reply.writerIndex(), (byte) '\n');
            text = reply.toString(reply.readerIndex(), Math.max(0, lf - 1 - reply.readerIndex()), StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
        if (command.isCancelled()) {
            return;
        }
        if (phase == Phase.MIGRATE) {
            if (text.equals("+OK")) {
                stats.importPulledKeys.increment();
                index = keys.length;
                step();
            } else if (text.equals("+NOKEY") || (type == '-' && text.contains("BUSYKEY"))) {
                // not on the source (moved already, or never there); or we already have a newer
                // value, which wins (the source's stale copy is deleted by the scan)
                stats.importedKeysLocal.increment();
                index = keys.length;
                step();
            } else {
                fail("MIGRATION_FORWARD: failed to access source node: " + (type == '-' ? text.substring(1) : text));
            }
            return;
        }
        boolean taskNotFound = text.startsWith("-MIGRATION_TASK_NOT_FOUND");
        if (taskNotFound && !sourceKnewTask) {
            // the range was switched here before a failover restarted the migration, and the new
            // source has not received its task yet: the key may well be there, ask again shortly
            if (++unconfirmedRetries > UNCONFIRMED_RETRIES) {
                fail("TRYAGAIN the migration source does not know its task yet");
            } else {
                stats.umsyncRetries.increment();
                byte[] key = command.argBytes(keys[index]);
                loop.eventLoop().schedule(() -> {
                    if (!command.isCancelled()) {
                        sendUmsync(key);
                    }
                }, UNCONFIRMED_RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } else if (type == '+' || taskNotFound) {
            index++;
            step();
        } else {
            fail("MIGRATION_FORWARD: failed to access source node: " + (type == '-' ? text.substring(1) : text));
        }
    }

    private void fail(String message) {
        command.release();
        command.complete(Replies.error(loop.alloc(), message));
    }

    @Override
    public boolean isCancelled() {
        return command.isCancelled();
    }
}

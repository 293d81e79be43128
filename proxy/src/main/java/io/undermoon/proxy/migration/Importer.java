package io.undermoon.proxy.migration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.proxy.backend.BackendConnection;
import io.undermoon.proxy.backend.LoopResources;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
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
    private enum Phase { SOURCE_READ, BLIND_SET, BLIND_DEL, MIGRATE, UMSYNC }

    /** Consumes a reply nobody needs (MULTI's OK, the QUEUED of a transaction's commands). */
    private static final ReplyTarget DISCARD = ByteBuf::release;

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
    private final boolean readFromSource;
    private final boolean blindSet;
    /** A {@code GET key} read from the source without MULTI/EXISTS/EXEC: its nil means "not there". */
    private final boolean plainGet;
    private byte[] blindKey;
    private ByteBuf blindReply;
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
        CommandSpec spec = command.spec();
        this.readFromSource = keys.length == 1 && !spec.write() && !spec.mayDelete() && !spec.streams()
                && spec.kind() == CommandKind.KEYED && task.mayReadFromSource();
        this.blindSet = command.argc() == 3 && spec.name().equals("SET") && task.mayReadFromSource();
        this.plainGet = readFromSource && command.argc() == 2 && spec.name().equals("GET");
    }

    public void start() {
        if (readFromSource) {
            sendSourceRead();
        } else if (blindSet && !destination.awaitingPromotion()) {
            sendBlindSet();
        } else {
            step();
        }
    }

    /**
     * {@code SET key value} replaces whatever the source has, so nothing needs to move: the SET
     * runs here first, then the source's (now obsolete) copy is deleted, and only then is the
     * client answered. Until that DEL, readers still get the old value from the source, which is
     * right while the SET has not been acknowledged; a write that needs the old value finds the
     * key here (MIGRATE answers BUSYKEY) and clears the source's copy through UMSYNC first.
     */
    private void sendBlindSet() {
        phase = Phase.BLIND_SET;
        blindKey = command.argBytes(keys[0]);
        stats.importBlindSets.increment();
        loop.group(destination).connection(sessionId).send(command.detachRaw(), this);
    }

    private void blindSetDone(ByteBuf reply) {
        if (!startsWith(reply, reply.readerIndex(), OK)) {
            command.complete(reply); // not applied (an error): nothing to clean up
            return;
        }
        blindReply = reply;
        phase = Phase.BLIND_DEL;
        loop.redisGroupFor(task.meta().srcNodeAddress()).connection(sessionId).send(encode("DEL", blindKey), this);
    }

    private void blindDelDone(ByteBuf reply) {
        boolean deleted = reply.getByte(reply.readerIndex()) == ':';
        reply.release();
        if (deleted) {
            command.complete(blindReply);
        } else {
            blindReply.release();
            command.complete(Replies.error(loop.alloc(),
                    "MIGRATION_FORWARD: the value was written, but its old copy on the source node could not be deleted"));
        }
    }

    /**
     * A single-key read: {@code MULTI, EXISTS key, <the command>, EXEC} on the source Redis. While
     * a key is still there its value there is the current one (every write through us pulls the key
     * first, and moves delete it from the source atomically), so when EXISTS says 1 the command's
     * reply is the answer, without moving anything; when it says 0 the key is ours or nobody's and
     * the command runs here. Anything else (an aborted transaction, an error) takes the pull path.
     */
    private void sendSourceRead() {
        phase = Phase.SOURCE_READ;
        stats.importSourceReads.increment();
        BackendConnection conn = loop.redisGroupFor(task.meta().srcNodeAddress()).connection(sessionId);
        if (plainGet) {
            conn.send(command.raw().retainedDuplicate(), this);
            return;
        }
        conn.send(MULTI.duplicate(), DISCARD);
        conn.send(encode("EXISTS", command.argBytes(keys[0])), DISCARD);
        conn.send(command.raw().retainedDuplicate(), DISCARD);
        conn.send(EXEC.duplicate(), this);
    }

    /** Handles the EXEC reply of {@link #sendSourceRead} (or GET's own reply). */
    private void sourceReadDone(ByteBuf reply) {
        int at = reply.readerIndex();
        if (plainGet) {
            plainGetDone(reply, at);
            return;
        }
        if (reply.readableBytes() > SOURCE_HAS_KEY.length && startsWith(reply, at, SOURCE_HAS_KEY)) {
            ByteBuf answer = reply.retainedSlice(at + SOURCE_HAS_KEY.length, reply.readableBytes() - SOURCE_HAS_KEY.length);
            reply.release();
            stats.importSourceReadsServed.increment();
            command.release();
            command.complete(answer);
            return;
        }
        boolean notThere = startsWith(reply, at, SOURCE_LACKS_KEY);
        reply.release();
        if (notThere) {
            index = keys.length; // the key is not on the source: ours or nobody's
        }
        step();
    }

    /**
     * {@code GET key} answered by the source: a value, or WRONGTYPE, is the answer (the key is there
     * and its value there is the current one); nil means the key is not there, so it is ours or
     * nobody's and the GET runs here; any other error takes the pull path, as after MULTI/EXEC.
     */
    private void plainGetDone(ByteBuf reply, int at) {
        byte type = reply.getByte(at);
        boolean nil = startsWith(reply, at, NIL2) || startsWith(reply, at, NIL3);
        boolean answer = (type == '$' && !nil) || startsWith(reply, at, WRONGTYPE);
        if (answer) {
            stats.importSourceReadsServed.increment();
            command.release();
            command.complete(reply);
            return;
        }
        reply.release();
        if (nil) {
            index = keys.length;
        }
        step();
    }

    private static final byte[] NIL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NIL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRONGTYPE = "-WRONGTYPE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOURCE_HAS_KEY = "*2\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOURCE_LACKS_KEY = "*2\r\n:0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf MULTI = constant("MULTI");
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf EXEC = constant("EXEC");

    /** A command sent as is many times: never freed, written through duplicates. */
    private static ByteBuf constant(String name) {
        ByteBuf b = Unpooled.buffer(16);
        RespWriter.command(b, List.of(name.getBytes(StandardCharsets.US_ASCII)));
        return Unpooled.unreleasableBuffer(b);
    }

    private static boolean startsWith(ByteBuf b, int at, byte[] prefix) {
        if (b.writerIndex() - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void step() {
        if (command.isCancelled()) {
            return;
        }
        if (index == keys.length) {
            then.run();
            return;
        }
        if (deleting || phase == Phase.UMSYNC) {
            sendUmsync(command.argBytes(keys[index]));
        } else {
            sendMigrate();
        }
    }

    /** One MIGRATE of every key of the command from the source Redis to ours. */
    private void sendMigrate() {
        phase = Phase.MIGRATE;
        stats.importPulls.increment();
        MigrateHead head = task.migrateHead();
        int size = head.headSize();
        for (int k : keys) {
            size += command.argLength(k) + 16;
        }
        ByteBuf b = loop.alloc().buffer(size);
        head.writeHead(b, keys.length);
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
        // a blind SET finishes even for a client that went away: the source's copy must go
        if (phase == Phase.BLIND_SET) {
            blindSetDone(reply);
            return;
        }
        if (phase == Phase.BLIND_DEL) {
            blindDelDone(reply);
            return;
        }
        if (phase == Phase.SOURCE_READ) {
            if (command.isCancelled()) {
                reply.release();
            } else {
                sourceReadDone(reply);
            }
            return;
        }
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
            } else if (text.equals("+NOKEY")) {
                // not on the source: moved already, or never there
                stats.importedKeysLocal.increment();
                index = keys.length;
                step();
            } else if (type == '-' && text.contains("BUSYKEY")) {
                // we have a newer value of some key and the source an obsolete copy (a blind SET
                // in progress, or a source promoted after a failover): MIGRATE left it there; the
                // migrating proxy deletes such copies (UMSYNC) before the command may run, so that
                // no reader is answered from them afterwards
                stats.importBusyKeys.increment();
                index = 0;
                sendUmsync(command.argBytes(keys[0]));
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

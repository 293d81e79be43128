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
 * Makes every key of one command local on the importing side before the command runs: {@code
 * EXISTS} on the destination Redis, and when the key is not there (or the command may delete it)
 * {@code UMSYNC} to the migrating proxy, which moves it. Runs as a chain of replies on the
 * session's event loop, on the same backend connection the command then uses.
 */
public final class Importer implements ReplyTarget {
    private enum Phase { EXISTS, UMSYNC }

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
        byte[] key = command.argBytes(keys[index]);
        if (deleting) {
            sendUmsync(key);
        } else {
            phase = Phase.EXISTS;
            stats.importExistsChecks.increment();
            loop.group(destination).connection(sessionId).send(encode("EXISTS", key), this);
        }
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
        if (phase == Phase.EXISTS) {
            if (text.equals(":1")) {
                stats.importedKeysLocal.increment();
                index++;
                step();
            } else if (type == '-') {
                fail("MIGRATION_FORWARD: failed to check the key on the destination: " + text.substring(1));
            } else {
                sendUmsync(command.argBytes(keys[index]));
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

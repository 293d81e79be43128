package io.undermoon.proxy.migration;

import io.undermoon.model.umctl.MigrationTask;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the UMSYNC requests of the importing proxy on a virtual thread of its own with its own
 * source connection, so that they never wait for a scan step: each batch of what is queued is one
 * MIGRATE on the source Redis ({@link KeyMover#serveSyncs}). Requests may be queued before the
 * worker starts (they are served once it does) and are answered with an error when it stops.
 */
final class SyncWorker {
    private static final Logger LOG = LoggerFactory.getLogger(SyncWorker.class);
    static final int BATCH = 256;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long RETRY_MILLIS = 20;

    private final MigrationTask identity;
    private final KeyMover mover;
    private final MigrationStats stats;
    private final MigrationClock clock;
    private final LinkedBlockingDeque<KeyMover.SyncRequest> queue = new LinkedBlockingDeque<>();
    private Thread thread;
    private volatile boolean finishing;
    private volatile boolean stopped;

    SyncWorker(MigrationTask identity, KeyMover mover, MigrationStats stats, MigrationClock clock) {
        this.identity = identity;
        this.mover = mover;
        this.stats = stats;
        this.clock = clock;
    }

    /** Queues a key to move; {@code reply} gets "+OK" once it is off the source (or an error text). */
    void submit(byte[] key, Consumer<String> reply) {
        queue.add(new KeyMover.SyncRequest(key, reply));
    }

    void start() {
        thread = Thread.ofVirtual().name("umsync-" + identity.slotRange().rangeList()).start(this::run);
    }

    private void run() {
        try {
            while (!stopped && !(finishing && queue.isEmpty())) {
                try {
                    mover.serveSyncs(queue, BATCH, POLL_NANOS);
                } catch (IOException e) {
                    stats.sourceErrors.increment();
                    LOG.warn("migration {}: UMSYNC: {}; retrying", identity, e.getMessage());
                    mover.close();
                    clock.sleepMillis(RETRY_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } finally {
            mover.close();
        }
    }

    /** Serves what is queued, then returns once the worker has ended. */
    void finish() throws InterruptedException {
        finishing = true;
        if (thread != null) {
            thread.join();
        }
    }

    /** Stops serving; requests still queued stay queued until {@link #failQueued}. */
    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Answers every queued request with {@code reply} (a RESP status or error line). */
    void failQueued(String reply) {
        KeyMover.SyncRequest r;
        while ((r = queue.poll()) != null) {
            r.reply().accept(reply);
        }
    }
}
